import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { fsyncDir, removeDurable, renameDurable, writeFileDurable } from './durable-fs';
import { LAKE_SPOOL, LAKE_TMP, partitionOf } from './lake-layout';
import { LAKE_META_COLUMNS } from './lake-record';
import { writeParquetFile, type ParquetSource } from './parquet-out';

/** What a compaction journal records: the merged file and the files it replaces (paths relative to LAKE_DIR). */
interface CompactionJournal {
  readonly target: string;
  readonly tmp: string;
  readonly sources: readonly string[];
}

/** Limits of {@link compactHour}. */
export interface CompactionLimits {
  /** Files at least this large are left alone. */
  readonly smallBytes: number;
  /** A merged file stops growing past this. */
  readonly targetBytes: number;
}

const HOUR_MS = 3_600_000;
const hidden = (dir: string, rel: string): string => join(dir, LAKE_TMP, `.${basename(rel)}.old`);

/** A file's columns with their types: only files of the very same schema can be merged into one. */
async function schemaKey(path: string): Promise<string> {
  const { asyncBufferFromFile, parquetMetadataAsync } = await import('hyparquet');
  const meta = await parquetMetadataAsync(await asyncBufferFromFile(path));
  // Logical types too: a timestamp with or without a time zone is one physical INT64, yet two Arrow schemas, and
  // parquet-wasm's writer waits forever on a batch of another schema instead of failing.
  const logical = (t: unknown): string =>
    JSON.stringify(t ?? null, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  return meta.schema
    .slice(1)
    .map(
      (s) =>
        `${s.name}\u0001${s.type ?? ''}\u0001${s.converted_type ?? ''}\u0001${s.repetition_type ?? ''}\u0001${logical(s.logical_type)}`,
    )
    .join('\u0000');
}

/** A file's column names (the features follow the record columns). */
const columnNamesOf = (key: string): string[] => key.split('\u0000').map((c) => c.split('\u0001')[0]!);

/**
 * Merges the small lake files of one (closed) hour into one file per feature schema, crash-safely and without ever
 * showing a reader a row twice or a half file: the merged file is written under `tmp/` and fsynced, a journal is
 * made durable, the sources are moved out of the partition, the merged file is renamed in, then the sources and the
 * journal are removed. A reader listing the partition during those few renames may miss the hour's rows, never
 * count them twice. Returns how many files were merged away.
 *
 * @example
 * await compactHour(dir, hourOf(Date.now()) - 1, { smallBytes: 32 << 20, targetBytes: 128 << 20 });
 */
export async function compactHour(dir: string, hour: number, limits: CompactionLimits): Promise<number> {
  const folder = join(dir, partitionOf(hour * HOUR_MS));
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a partition of the lake
  const files = (await readdir(folder).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.parquet') && !f.startsWith('.'))
    .sort();
  const bySchema = new Map<string, { path: string; bytes: number }[]>();
  for (const f of files) {
    const path = join(folder, f);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a lake file
    const bytes = (await stat(path)).size;
    if (bytes >= limits.smallBytes) continue;
    const key = await schemaKey(path);
    bySchema.set(key, [...(bySchema.get(key) ?? []), { path, bytes }]);
  }
  let merged = 0;
  for (const group of bySchema.values()) {
    for (let from = 0; from < group.length;) {
      const batch: string[] = [];
      let bytes = 0;
      for (; from < group.length && (batch.length < 2 || bytes + group[from]!.bytes <= limits.targetBytes); from++) {
        batch.push(group[from]!.path);
        bytes += group[from]!.bytes;
      }
      if (batch.length < 2) continue;
      await mergeFiles(dir, batch);
      merged += batch.length;
    }
  }
  return merged;
}

async function mergeFiles(dir: string, sources: readonly string[]): Promise<void> {
  const first = basename(sources[0]!, '.parquet');
  const target = join(sources[0]!, '..', `${first}-m${sources.length}.parquet`);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the lake's tmp folder
  await mkdir(join(dir, LAKE_TMP), { recursive: true });
  const tmp = join(dir, LAKE_TMP, `.${basename(target)}.tmp`);
  const columns = columnNamesOf(await schemaKey(sources[0]!));
  // Files written before the shadow columns existed end their record columns at `degraded`.
  const names = columns.slice(Math.max(...LAKE_META_COLUMNS.map((c) => columns.indexOf(c))) + 1);
  async function* read(): AsyncGenerator<ParquetSource> {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- lake files being merged
    for (const s of sources) yield { kind: 'parquet', bytes: await readFile(s) };
  }
  await writeParquetFile(tmp, names, read());
  const journal: CompactionJournal = {
    target: relative(dir, target),
    tmp: relative(dir, tmp),
    sources: sources.map((s) => relative(dir, s)),
  };
  const journalFile = join(dir, LAKE_SPOOL, `compact-${first}.json`);
  await writeFileDurable(journalFile, JSON.stringify(journal));
  await finishMerge(dir, journal);
  await removeDurable([journalFile]);
}

/** Steps 3-5 of a merge, each safe to repeat: hide the sources, rename the merged file in, remove the sources. */
async function finishMerge(dir: string, j: CompactionJournal): Promise<void> {
  for (const s of j.sources) {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a source being replaced
    await rename(join(dir, s), hidden(dir, s)).catch((err: NodeJS.ErrnoException) =>
      err.code === 'ENOENT' ? undefined : Promise.reject(err),
    );
  }
  if (j.sources[0]) await fsyncDir(join(dir, j.sources[0], '..'));
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the merged file
  const done = await stat(join(dir, j.target)).then(
    () => true,
    () => false,
  );
  if (!done) await renameDurable(join(dir, j.tmp), join(dir, j.target));
  await removeDurable(j.sources.map((s) => hidden(dir, s)));
}

/**
 * Completes a merge interrupted by a crash from its journal (the merged file was complete before the journal
 * existed), so the hour ends with the merged file and none of its sources.
 *
 * @example
 * for (const j of compactionJournals) await recoverCompaction(dir, j);
 */
export async function recoverCompaction(dir: string, journalFile: string): Promise<void> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a journal of the lake's spool
  const j = JSON.parse(await readFile(journalFile, 'utf8')) as CompactionJournal;
  const exists = (file: string): Promise<boolean> =>
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the journal's files
    stat(join(dir, file)).then(
      () => true,
      () => false,
    );
  const ready = (await exists(j.target)) || (await exists(j.tmp));
  if (ready) await finishMerge(dir, j);
  else {
    // Cannot happen with the journal written after the merged file; put back any source already hidden.
    for (const s of j.sources) {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- a hidden source
      await rename(hidden(dir, s), join(dir, s)).catch(() => undefined);
    }
  }
  await removeDurable([journalFile]);
}
