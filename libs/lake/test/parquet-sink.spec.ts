import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_NAMES, NUM_FEATURES, eventOf, record, sampleRows } from './fixtures';
import { BufferedLakeWriter, listLakeFiles, ParquetSink, partitionOf, readLakeColumns } from '../src';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { packRecords } from '../src/parquet-columns';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lake-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function countRows(root: string): Promise<number> {
  let n = 0;
  for (const f of await listLakeFiles(root)) n += Number((await parquetMetadataAsync(await asyncBufferFromFile(f.path))).num_rows);
  return n;
}

describe('ParquetSink', () => {
  it('partitions by UTC day and hour', () => {
    expect(partitionOf(Date.UTC(2024, 0, 9, 3, 59))).toBe('scores/dt=2024-01-09/hour=03');
  });

  it('writes exactly N rows across files for N leads pushed and closed', async () => {
    const writer = new BufferedLakeWriter({ featureWidth: NUM_FEATURES, sink: new ParquetSink({ featureNames: FEATURE_NAMES, dir, maxBatchRecords: 300 }), flushRecords: 250 });
    const n = 1234;
    for (let i = 0; i < n; i++) writer.push(record(i, Date.UTC(2024, 4, 1, 7 + (i % 3), 0)));
    await writer.close();
    const files = await listLakeFiles(dir);
    expect(files.length).toBeGreaterThan(3);
    expect(new Set(files.map((f) => f.hour))).toEqual(new Set(['07', '08', '09']));
    expect(await countRows(dir)).toBe(n);
  });

  it('writes the leads of scored events through the worker thread, one file per hour', async () => {
    const writer = new BufferedLakeWriter({ featureWidth: NUM_FEATURES, sink: new ParquetSink({ featureNames: FEATURE_NAMES, dir, thread: true }), flushRecords: 50 });
    const x = sampleRows(120, 3);
    for (let i = 0; i < 120; i += 10) writer.pushEvent(eventOf(x, i, 10, { ts: Date.UTC(2024, 4, 1, 7 + (i % 20 === 0 ? 0 : 1), 5) }));
    expect(await writer.close()).toMatchObject({ written: 120, dropped: 0 });
    expect(await countRows(dir)).toBe(120);
    expect(new Set((await listLakeFiles(dir)).map((f) => f.hour))).toEqual(new Set(['07', '08']));
  });

  it('writes byte-identical files through the worker thread with O_DIRECT on and off', async () => {
    const x = sampleRows(3000, 9);
    const bytesOf = async (directIo: boolean): Promise<Buffer> => {
      const root = join(dir, directIo ? 'direct' : 'buffered');
      const writer = new BufferedLakeWriter({ featureWidth: NUM_FEATURES, sink: new ParquetSink({ featureNames: FEATURE_NAMES, dir: root, thread: true, directIo, writerId: 'w1' }), flushRecords: 3000 });
      for (let i = 0; i < 3000; i += 50) writer.pushEvent(eventOf(x, i, 50, { ts: Date.UTC(2024, 4, 1, 7, 5) }));
      expect(await writer.close()).toMatchObject({ written: 3000, dropped: 0 });
      const files = await listLakeFiles(root);
      expect(files).toHaveLength(1);
      return readFile(files[0]!.path);
    };
    const direct = await bytesOf(true);
    expect(direct.length).toBeGreaterThan(8192); // more than the last, padded block
    expect(direct.equals(await bytesOf(false))).toBe(true);
  });

  it('round-trips every column, with named feature columns and nulls for missing values', async () => {
    await new ParquetSink({ featureNames: FEATURE_NAMES, dir }).write([record(1), record(2)]);
    const [file] = await listLakeFiles(dir);
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file!.path) });
    expect(rows[0]).toMatchObject({
      request_id: 'r1', lead_id: 'l1', model_name: 'demo', model_version: '1', score: 2,
      probabilities: [0.2, 0.2, 0.2, 0.2, 0.2], probability: null, latency_ms: 3.5, degraded: false,
      [FEATURE_NAMES[0]!]: null, [FEATURE_NAMES[1]!]: 1, [FEATURE_NAMES[49]!]: 1,
    });
    expect(rows[1]).toMatchObject({ lead_id: null });
    expect((rows[0] as { ts: Date }).ts.getTime()).toBe(Date.UTC(2024, 4, 1, 7, 30));
    expect(Object.keys(rows[0]!)).toHaveLength(60);
  });

  it('leaves no temporary file behind and names files uniquely per writer', async () => {
    const a = new ParquetSink({ featureNames: FEATURE_NAMES, dir });
    const b = new ParquetSink({ featureNames: FEATURE_NAMES, dir });
    await Promise.all([a.write([record(1)]), b.write([record(2)]), a.write([record(3)])]);
    const folder = join(dir, partitionOf(record(1).ts));
    const names = await readdir(folder);
    expect(names).toHaveLength(3);
    expect(names.every((n) => /^part-\d+-\d+-[0-9a-f]{8}-\d{6}\.parquet$/.test(n))).toBe(true);
  });

  it('reports the records of a partition it could not write as undelivered', async () => {
    const sink = new ParquetSink({ featureNames: FEATURE_NAMES, dir: join(dir, 'file-not-dir') });
    await new ParquetSink({ featureNames: FEATURE_NAMES, dir }).write([record(1)]);
    // Make the lake root a file so mkdir fails.
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'file-not-dir'), 'x');
    await expect(sink.write([record(5)])).rejects.toMatchObject({ code: 'LAKE_SINK_FAILED', undelivered: [expect.objectContaining({ request_id: 'r5' })] });
  });

  it.each([
    ['one hour', [7, 7, 7]],
    ['two hours', [7, 8, 7]],
  ])('reports every row of a columnar batch (%s) it could not write as undelivered', async (_, hours) => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'file-not-dir'), 'x');
    const sink = new ParquetSink({ featureNames: FEATURE_NAMES, dir: join(dir, 'file-not-dir') });
    const batch = packRecords(hours.map((h, i) => record(i, Date.UTC(2024, 4, 1, h, 30))), NUM_FEATURES);
    const err = await sink.writePacked(batch).then(() => null, (e: unknown) => e as { code: string; undelivered: { request_id: string }[] });
    expect(err?.code).toBe('LAKE_SINK_FAILED');
    expect(err?.undelivered.map((r) => r.request_id).sort()).toEqual(['r0', 'r1', 'r2']);
  });

  it('is readable column by column through readLakeColumns', async () => {
    await new ParquetSink({ featureNames: FEATURE_NAMES, dir }).write([record(3), record(4)]);
    const [file] = await listLakeFiles(dir);
    const cols = await readLakeColumns(file!.path, ['score', FEATURE_NAMES[2]!]);
    expect(cols['score']).toEqual([4, 5]);
    expect(cols[FEATURE_NAMES[2]!]).toEqual([3, 4]);
  });
});
