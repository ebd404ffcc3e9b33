import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { removeDurable, renameDurable, writeFileDurable } from './durable-fs';
import { LAKE_SPOOL, LAKE_TMP, publishedPath } from './lake-layout';
import { lakeArrowSchema, lakeTable } from './arrow-batch';
import { writeParquetFile, type ParquetSource } from './parquet-out';
import type { SpoolRequest } from './spool-frame';
import { readSegment, type SpoolSegment } from './spool-reader';

/** Leads per Arrow table handed to the Parquet writer: large enough to amortise the hand-off, small in memory. */
const TABLE_ROWS = 32_768;

/** What a publish journal records: the lake file that holds exactly these segments' leads. */
interface PublishJournal {
  readonly file: string;
  readonly segments: readonly string[];
}

/** What one publish did. */
export interface PublishResult {
  /** The lake file, relative to LAKE_DIR; null when the segments held no lead. */
  readonly file: string | null;
  readonly rows: number;
  /** Bytes of torn or corrupt segment tails that were ignored. */
  readonly ignoredBytes: number;
}

const journalPath = (dir: string, stem: string): string => join(dir, LAKE_SPOOL, `publish-${stem}.json`);

/**
 * Turns sealed segments of one hour and one feature schema into one lake file, exactly once: the file is written
 * under `tmp/` and fsynced, a journal naming the file and its segments is made durable, the file is renamed into
 * its partition (the folder fsynced), and only then are the segments and the journal removed. After a crash
 * {@link recoverPublish} finishes or forgets the step from the journal, so no lead is lost or published twice.
 *
 * @example
 * await publishSegments(dir, segmentsOfOneHour, names);
 */
export async function publishSegments(
  dir: string,
  segments: readonly SpoolSegment[],
  names: readonly string[],
): Promise<PublishResult> {
  const first = segments[0];
  if (!first) return { file: null, rows: 0, ignoredBytes: 0 };
  const tmpDir = join(dir, LAKE_TMP);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the lake's tmp folder
  await mkdir(tmpDir, { recursive: true });
  const tmp = join(tmpDir, `.part-${first.stem}.parquet.tmp`);
  const target = publishedPath(dir, first.hour, first.stem);
  let ignoredBytes = 0;
  const schema = lakeArrowSchema(names);
  async function* tables(): AsyncGenerator<ParquetSource> {
    let pending: SpoolRequest[] = [];
    let rows = 0;
    for (const seg of segments) {
      const scan = await readSegment(seg.path);
      ignoredBytes += scan.ignoredBytes;
      for (const r of scan.requests) {
        if (r.n === 0) continue;
        pending.push(r);
        rows += r.n;
        if (rows >= TABLE_ROWS) {
          yield { kind: 'arrow', table: lakeTable(pending, names, schema) };
          pending = [];
          rows = 0;
        }
      }
    }
    if (rows > 0) yield { kind: 'arrow', table: lakeTable(pending, names, schema) };
  }
  const rows = await countingWrite(tmp, names, tables());
  const segmentPaths = segments.map((s) => s.path);
  if (rows === 0) {
    await removeDurable([tmp, ...segmentPaths]);
    return { file: null, rows: 0, ignoredBytes };
  }
  const journal = journalPath(dir, first.stem);
  const entry: PublishJournal = { file: relative(dir, target), segments: segments.map((s) => s.file) };
  await writeFileDurable(journal, JSON.stringify(entry));
  await renameDurable(tmp, target);
  await removeDurable(segmentPaths);
  await removeDurable([journal]);
  return { file: entry.file, rows, ignoredBytes };
}

/** Writes the file, or nothing when the sources hold no row. */
async function countingWrite(
  path: string,
  names: readonly string[],
  sources: AsyncGenerator<ParquetSource>,
): Promise<number> {
  const first = await sources.next();
  if (first.done) return 0;
  let started = false;
  const all: AsyncIterator<ParquetSource> = {
    next: async () => {
      if (!started) {
        started = true;
        return first;
      }
      return sources.next();
    },
  };
  return writeParquetFile(path, names, all);
}

/**
 * Completes or forgets a publish interrupted by a crash: when its lake file is in place the segments it holds are
 * removed; otherwise the journal is dropped and the segments stay to be published again.
 *
 * @example
 * for (const j of publishJournals) await recoverPublish(dir, j);
 */
export async function recoverPublish(dir: string, journal: string): Promise<void> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a journal of the lake's spool
  const entry = JSON.parse(await readFile(journal, 'utf8')) as PublishJournal;
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the file the journal names
  const published = await stat(join(dir, entry.file)).then(
    () => true,
    () => false,
  );
  if (published) await removeDurable(entry.segments.map((s) => join(dir, LAKE_SPOOL, s)));
  await removeDurable([journal]);
}
