import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LakeError } from './errors';

/** One Parquet file of the lake with its partition values. */
export interface LakeFile {
  readonly path: string;
  /** `YYYY-MM-DD` (UTC). */
  readonly dt: string;
  readonly hour: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a `YYYY-MM-DD` date argument; throws DRIFT_REPORT_BAD_INPUT naming the flag otherwise. */
export function checkDate(flag: string, value: string): string {
  if (
    !DATE.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value
  ) {
    throw new LakeError('LAKE_RANGE_INVALID', `${flag} must be a date YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

/**
 * Lists the lake's Parquet files (`<dir>/scores/dt=*\/hour=*\/*.parquet`; files being written live under
 * `<dir>/tmp/`, never here, and dot files are skipped all the same), optionally within [from, to] dates inclusive,
 * sorted by partition.
 *
 * @example
 * const files = await listLakeFiles('./var/lake', { from: '2024-05-01', to: '2024-05-07' });
 */
export async function listLakeFiles(dir: string, range: { from?: string; to?: string } = {}): Promise<LakeFile[]> {
  const root = join(dir, 'scores');
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the lake folder the operator named
  const days = await readdir(root, { withFileTypes: true }).catch((err: unknown) => {
    throw new LakeError('LAKE_RANGE_INVALID', `no lake at ${dir}: cannot read ${root}`, { cause: err });
  });
  const files: LakeFile[] = [];
  for (const day of days) {
    const dt = /^dt=(\d{4}-\d{2}-\d{2})$/.exec(day.name)?.[1];
    if (!day.isDirectory() || !dt) continue;
    if ((range.from && dt < range.from) || (range.to && dt > range.to)) continue;
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- partition folders found under it
    for (const hourDir of await readdir(join(root, day.name), { withFileTypes: true })) {
      const hour = /^hour=(\d{2})$/.exec(hourDir.name)?.[1];
      if (!hourDir.isDirectory() || !hour) continue;
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- same
      for (const f of await readdir(join(root, day.name, hourDir.name))) {
        if (f.endsWith('.parquet') && !f.startsWith('.'))
          files.push({ path: join(root, day.name, hourDir.name, f), dt, hour });
      }
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Reads the given columns of one lake file with hyparquet (a different library than the writer; ZSTD pages
 * through hyparquet-compressors), as one array per column.
 *
 * @example
 * const { score } = await readLakeColumns(file.path, ['score']);
 */
export async function readLakeColumns(path: string, columns: readonly string[]): Promise<Record<string, unknown[]>> {
  try {
    const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
    const { compressors } = await import('hyparquet-compressors');
    const file = await asyncBufferFromFile(path);
    const rows = await parquetReadObjects({ file, columns: [...columns], compressors });
    const out: Record<string, unknown[]> = {};
    for (const c of columns) out[c] = rows.map((r) => (r as Record<string, unknown>)[c]);
    return out;
  } catch (err) {
    throw new LakeError(
      'LAKE_READ_FAILED',
      `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}
