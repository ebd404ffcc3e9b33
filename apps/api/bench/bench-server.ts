/** What the single-server benches share: the request body, the "off" config, one server child, its load. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { freePort, waitReady } from '../test/support/child-server';

export const ROOT = join(__dirname, '../../..');

/** Observability off: the baseline every cost bench compares with. */
export const OBSERVABILITY_OFF: Readonly<Record<string, string>> = { METRICS: 'off', LAKE: 'off' };

/** A POST /score body of `n` unnamed rows (the seed's form), the same rows in every bench. */
export function rowsBody(n: number): string {
  return JSON.stringify(Array.from({ length: n }, (_, i) => sampleLead(demoFeatures(), mulberry32(i + 1))));
}

/**
 * Starts one API process (`node <nodeArgs> --import tsx apps/api/src/main.ts`, WORKERS=1) on a free port with
 * `env` over this process's, and waits until it is ready.
 */
export async function spawnApi(opts: { nodeArgs: readonly string[]; env: Record<string, string>; stdout: 'pipe' | 'ignore' }): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...opts.nodeArgs, '--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env, PORT: String(port), WORKERS: '1', LOG_LEVEL: 'WARN' },
    stdio: ['ignore', opts.stdout, 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, child);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return { child, url };
}

/** autocannon POSTing `payload` to `${url}/score` for `duration` s: saturating, or at `rate` req/s. */
export function scoreLoad(url: string, payload: string, opts: { duration: number; connections: number; rate?: number }): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/score`, method: 'POST', headers: { 'content-type': 'application/json' }, body: payload,
    connections: opts.connections, duration: opts.duration, ...(opts.rate === undefined ? {} : { overallRate: opts.rate }),
  });
}
