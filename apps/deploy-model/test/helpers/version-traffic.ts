import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startTsx, waitFor200, type Child } from '@lead-scoring/testing';
import { FIXTURES } from './bundles';

export type Version = 'v1' | 'v2' | 'other';

interface Reference {
  rows: (number | null)[][];
  v1: number[][];
  v2: number[][];
}

/** XGBoost's predictions of the lead-test bundles v1 and v2 for the same rows (tools: test/fixtures/generate.py). */
export const reference = JSON.parse(readFileSync(path.join(FIXTURES, 'lead-reference.json'), 'utf8')) as Reference;

/** Starts the model server on a free port over `modelDir` (hot reload every 200 ms) and waits for /ping. */
export async function startModelServer(modelDir: string): Promise<{ base: string; server: Child }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startTsx('apps/model-server/src/main.ts', {
    SM_MODEL_DIR: modelDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    MODEL_RELOAD_INTERVAL_MS: '200',
  });
  await waitFor200(`${base}/ping`, server, 120_000);
  return { base, server };
}

/**
 * Three clients sending the first reference row to `/invocations` back to back, each answer classified as the
 * version that gave it. `switched()` waits (at most 60 s) until v2 has answered 50 times after its first answer.
 */
export async function startVersionTraffic(
  base: string,
): Promise<{ seen: Version[]; failures: string[]; switched(): Promise<void>; stop(): Promise<void> }> {
  const body = `${reference.rows[0]!.map((v) => (v === null ? '' : String(v))).join(',')}\n`;
  const classify = (p: number): Version =>
    Math.abs(p - reference.v1[0]![0]!) < 1e-5 ? 'v1' : Math.abs(p - reference.v2[0]![0]!) < 1e-5 ? 'v2' : 'other';
  const seen: Version[] = [];
  const failures: string[] = [];
  let stopped = false;
  const client = async (): Promise<void> => {
    while (!stopped) {
      try {
        const res = await fetch(`${base}/invocations`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv', accept: 'application/json' },
          body,
        });
        const text = await res.text();
        if (res.status !== 200) failures.push(`${res.status} ${text}`);
        else seen.push(classify((JSON.parse(text) as { predictions: number[] }).predictions[0]!));
      } catch (err) {
        failures.push(String(err));
      }
    }
  };
  const clients = [client(), client(), client()];
  while (seen.length < 50 && failures.length === 0) await sleep(20);
  return {
    seen,
    failures,
    async switched() {
      const deadline = Date.now() + 60_000;
      while (!seen.includes('v2') && Date.now() < deadline) await sleep(50);
      const switchedAt = seen.length;
      while (seen.length < switchedAt + 50 && Date.now() < deadline) await sleep(20);
    },
    async stop() {
      stopped = true;
      await Promise.all(clients);
    },
  };
}
