import type { RunConfig } from '../config';
import { buildBodyPool, type BodyPool } from '../payload/bodies';
import { createTarget } from '../targets/create-target';
import type { Target } from './outcome';

/** Builds the payload pool and the target one thread sends with. */
export async function setUpShard(config: RunConfig): Promise<{ pool: BodyPool; target: Target }> {
  const pool = buildBodyPool({ specs: config.features, seed: config.seed, rows: config.rows, format: config.format });
  const target = await createTarget({
    target: config.target,
    contentType: pool.contentType,
    maxSockets: config.maxSockets,
    timeoutMs: config.timeoutMs,
    firstBody: pool.valid[0] ?? Buffer.alloc(0),
    httpClient: config.httpClient,
  });
  return { pool, target };
}
