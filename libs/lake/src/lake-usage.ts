import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LAKE_SCORES } from './lake-layout';
import { listSegments } from './spool-reader';

/** How much a local lake holds, for /metrics. */
export interface LakeUsage {
  /** Bytes of the published Parquet files. */
  readonly lakeBytes: number;
  readonly lakeFiles: number;
  /** Start of the oldest hour partition, epoch seconds; 0 when the lake is empty. */
  readonly oldestPartitionSeconds: number;
  /** Segments waiting in the spool (being written, or not yet in a lake file), and their bytes. */
  readonly spoolSegments: number;
  readonly spoolBytes: number;
}

async function entries(dir: string): Promise<string[]> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- folders of the lake
  return readdir(dir).catch(() => []);
}

/**
 * Walks the lake's partitions and spool (asynchronously; about a millisecond per thousand files).
 *
 * @example
 * const { lakeBytes, oldestPartitionSeconds } = await lakeUsage('./var/lake');
 */
export async function lakeUsage(dir: string): Promise<LakeUsage> {
  let lakeBytes = 0;
  let lakeFiles = 0;
  let oldest = 0;
  const root = join(dir, LAKE_SCORES);
  for (const day of (await entries(root)).sort()) {
    const dt = /^dt=(\d{4}-\d{2}-\d{2})$/.exec(day)?.[1];
    if (!dt) continue;
    for (const hourDir of (await entries(join(root, day))).sort()) {
      const hour = /^hour=(\d{2})$/.exec(hourDir)?.[1];
      if (!hour) continue;
      for (const f of await entries(join(root, day, hourDir))) {
        if (!f.endsWith('.parquet') || f.startsWith('.')) continue;
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- a lake file
        const st = await stat(join(root, day, hourDir, f)).catch(() => null);
        if (!st) continue;
        lakeBytes += st.size;
        lakeFiles++;
        if (oldest === 0) oldest = Date.parse(`${dt}T${hour}:00:00Z`) / 1000;
      }
    }
  }
  const segments = await listSegments(dir).catch(() => []);
  return {
    lakeBytes,
    lakeFiles,
    oldestPartitionSeconds: oldest,
    spoolSegments: segments.length,
    spoolBytes: segments.reduce((s, g) => s + g.bytes, 0),
  };
}
