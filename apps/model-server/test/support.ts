import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { pack } from 'tar-stream';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { DEMO_BUNDLE_DIR } from '@lead-scoring/model-bundle';
import { createModelServer } from '../src/http-server';
import { ModelHolder, type Logger } from '../src/model-holder';
import { createModelServerMetrics, type LeadScoringMetrics } from '../src/server-metrics';

export const demoModelBytes = (): Promise<Buffer> => readFile(join(DEMO_BUNDLE_DIR, 'xgboost-model'));
export const demoManifestText = (): Promise<string> => readFile(join(DEMO_BUNDLE_DIR, 'manifest.json'), 'utf8');

/** A different but valid model: the demo model with class 0's first tree leaves shifted. */
export async function variantModelBytes(): Promise<Buffer> {
  const json = JSON.parse((await demoModelBytes()).toString('utf8'));
  const tree = json.learner.gradient_booster.model.trees[0];
  tree.left_children.forEach((child: number, i: number) => {
    if (child === -1) {
      tree.split_conditions[i] += 0.75;
      tree.base_weights[i] += 0.75;
    }
  });
  return Buffer.from(JSON.stringify(json));
}

/** The demo manifest re-pointed at other model bytes (new sha256 and version, no reference rows). */
export async function manifestFor(modelBytes: Buffer, version: string): Promise<string> {
  const manifest = JSON.parse(await demoManifestText());
  manifest.sha256 = createHash('sha256').update(modelBytes).digest('hex');
  manifest.version = version;
  delete manifest.reference;
  return JSON.stringify(manifest);
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'model-server-test-'));
}

/** A temp SageMaker model folder holding the demo bundle (or only its model file). */
export async function demoModelDir(opts: { manifest?: boolean } = {}): Promise<string> {
  const dir = await tempDir();
  await writeFile(join(dir, 'xgboost-model'), await demoModelBytes());
  if (opts.manifest !== false) await writeFile(join(dir, 'manifest.json'), await demoManifestText());
  return dir;
}

/** Writes `model.tar.gz` the way SageMaker training jobs do: files at the top, `./` prefixed. */
export async function writeTarball(dir: string, files: Record<string, Buffer | string>): Promise<void> {
  const p = pack();
  for (const [name, content] of Object.entries(files)) p.entry({ name: `./${name}` }, content);
  p.finalize();
  await pipeline(p, createGzip(), createWriteStream(join(dir, 'model.tar.gz')));
}

export const removeDir = (dir: string) => rm(dir, { recursive: true, force: true });

/** Random valid leads as rows (null = missing), seeded. */
export function sampleRows(n: number, seed = 7): (number | null)[][] {
  const rng = mulberry32(seed);
  const specs = demoFeatures();
  return Array.from({ length: n }, () => sampleLead(specs, rng));
}

export const toCsv = (rows: (number | null)[][]): string =>
  rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\n') + '\n';

export interface TestServer {
  url: string;
  port: number;
  holder: ModelHolder;
  logs: { level: string; message: string; fields?: Record<string, unknown> }[];
  stop(): Promise<void>;
}

/**
 * Starts the model server on a free port over `dir`, polling for new models every `reloadIntervalMs`.
 * Metrics are on (without process metrics) unless `metrics` is given; `null` = METRICS=off.
 */
export async function startServer(
  dir: string,
  opts: { reloadIntervalMs?: number; maxPayloadBytes?: number; metrics?: LeadScoringMetrics | null } = {},
): Promise<TestServer> {
  const logs: TestServer['logs'] = [];
  const log: Logger = (level, message, fields) => logs.push({ level, message, ...(fields ? { fields } : {}) });
  const holder = new ModelHolder({ dir, reloadIntervalMs: opts.reloadIntervalMs ?? 0, log });
  await holder.check();
  holder.start();
  const metrics =
    opts.metrics === undefined ? createModelServerMetrics({ metrics: true }, { processMetrics: false }) : opts.metrics;
  const server: Server = createModelServer({
    holder,
    log,
    maxConcurrentTransforms: 2,
    metrics,
    ...(opts.maxPayloadBytes ? { maxPayloadBytes: opts.maxPayloadBytes } : {}),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    holder,
    logs,
    stop: () =>
      new Promise<void>((resolve) => {
        holder.stop();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `check` until it holds or `timeoutMs` passes. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
