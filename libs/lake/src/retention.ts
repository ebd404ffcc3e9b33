import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from './durable-fs';
import { LAKE_SCORES } from './lake-layout';

/**
 * Removes the lake's day partitions (`scores/dt=YYYY-MM-DD`) older than `days` whole UTC days before `now`;
 * returns the dates removed. `days` 0 keeps everything.
 *
 * @example
 * await applyRetention('./var/lake', 30); // on 2024-05-31 removes dt=2024-04-30 and older
 */
export async function applyRetention(dir: string, days: number, now = Date.now()): Promise<string[]> {
  if (days <= 0) return [];
  const cutoff = new Date(now - days * 86_400_000).toISOString().slice(0, 10);
  const root = join(dir, LAKE_SCORES);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the lake's partitions folder
  const entries = await readdir(root).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const e of entries) {
    const dt = /^dt=(\d{4}-\d{2}-\d{2})$/.exec(e)?.[1];
    if (!dt || dt >= cutoff) continue;

    await rm(join(root, e), { recursive: true, force: true });
    removed.push(dt);
  }
  if (removed.length > 0) await fsyncDir(root);
  return removed;
}
