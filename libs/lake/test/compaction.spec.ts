import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import {
  Field,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  TimestampMillisecond,
} from 'apache-arrow';
import * as pw from 'parquet-wasm/node';
import { eventOf, sampleRows, writeLake } from './fixtures';
import { listLakeFiles } from '../src';
import { compactHour, recoverCompaction } from '../src/compaction';
import { hourOf } from '../src/lake-layout';
import { duckdb } from '@lead-scoring/testing';

const T0 = Date.UTC(2024, 4, 1, 7, 10);
const HOUR = hourOf(T0);
const LIMITS = { smallBytes: 32 << 20, targetBytes: 128 << 20 };
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'compact-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const x = sampleRows(90, 4);
/** Three publishes into the same hour (three restarts of a server): three files. */
async function threeFiles(root: string): Promise<void> {
  for (let k = 0; k < 3; k++) await writeLake(root, [eventOf(x, k * 30, 30, { ts: T0 + k })], `run${k}`);
}

async function leadCount(root: string): Promise<{ n: number; distinct: number }> {
  const [row] = await duckdb(
    `select count(*)::int n, count(distinct lead_id)::int d from read_parquet('${root}/scores/*/*/*.parquet')`,
  );
  return { n: Number(row!['n']), distinct: Number(row!['d']) };
}

/** A lake file of the same column names but a timestamp with a time zone (as an older writer made them). */
async function fileWithZonedTimestamps(root: string): Promise<void> {
  await writeLake(root, [eventOf(x, 0, 30, { ts: T0 })], 'plain');
  const [file] = await listLakeFiles(root);
  const table = tableFromIPC(pw.readParquet(readFileSync(file!.path)).intoIPCStream());
  const zoned = new TimestampMillisecond('UTC');
  const fields = table.schema.fields.map((f) => (f.name === 'ts' ? new Field('ts', zoned, f.nullable) : f));
  const schema = new Schema(fields);
  const batch = table.batches[0]!;
  const children = batch.data.children.map((c, i) =>
    fields[i]!.name === 'ts' ? makeData({ type: zoned, length: c.length, data: c.values }) : c,
  );
  const struct = makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children });
  const out = pw.writeParquet(
    pw.Table.fromIPCStream(tableToIPC(new Table(schema, [new RecordBatch(schema, struct)]), 'stream')),
  );
  writeFileSync(join(file!.path, '..', 'part-zoned.parquet'), out);
}

describe('compactHour', () => {
  it('leaves files of the same column names but other types unmerged, rather than waiting on them forever', async () => {
    await fileWithZonedTimestamps(dir);
    await writeLake(dir, [eventOf(x, 30, 30, { ts: T0 + 1 })], 'other');

    const merged = await compactHour(dir, HOUR, LIMITS);

    expect(merged).toBe(2);
    expect(await listLakeFiles(dir)).toHaveLength(2);
    expect((await leadCount(dir)).n).toBe(90);
  });

  it('merges the small files of an hour into one, every lead in it once', async () => {
    await threeFiles(dir);

    const merged = await compactHour(dir, HOUR, LIMITS);

    expect(merged).toBe(3);
    expect(await listLakeFiles(dir)).toHaveLength(1);
    expect(await leadCount(dir)).toEqual({ n: 90, distinct: 90 });
  });

  it('finishes a merge a crash interrupted after some sources were moved out, leaving no duplicate', async () => {
    await threeFiles(dir);
    const sources = (await listLakeFiles(dir)).map((f) => f.path);
    // The merged file, made in a copy of the lake; then the original brought to the state of the crash.
    const copy = join(dir, '..', `${basename(dir)}-copy`);
    cpSync(dir, copy, { recursive: true });
    await compactHour(copy, HOUR, LIMITS);
    const [mergedFile] = await listLakeFiles(copy);
    const target = join(sources[0]!, '..', basename(mergedFile!.path));
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    const tmp = join(dir, 'tmp', `.${basename(target)}.tmp`);
    cpSync(mergedFile!.path, tmp);
    rmSync(copy, { recursive: true, force: true });
    const journal = join(dir, 'spool', 'compact-x.json');
    writeFileSync(
      journal,
      JSON.stringify({
        target: relative(dir, target),
        tmp: relative(dir, tmp),
        sources: sources.map((s) => relative(dir, s)),
      }),
    );
    renameSync(sources[0]!, join(dir, 'tmp', `.${basename(sources[0]!)}.old`));

    await recoverCompaction(dir, journal);

    expect((await listLakeFiles(dir)).map((f) => f.path)).toEqual([target]);
    expect(await leadCount(dir)).toEqual({ n: 90, distinct: 90 });
    expect(readdirSync(join(dir, 'spool')).filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  it('leaves an hour with one file, or with only large files, as it is', async () => {
    await writeLake(dir, [eventOf(x, 0, 30, { ts: T0 })]);

    expect(await compactHour(dir, HOUR, LIMITS)).toBe(0);
    expect(await compactHour(dir, HOUR, { ...LIMITS, smallBytes: 1 })).toBe(0);
  });
});
