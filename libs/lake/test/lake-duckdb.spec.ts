import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_NAMES, eventOfRecord, expectRowsOf, mixedRecords, writeLake } from './fixtures';
import { listLakeFiles, readLakeColumns } from '../src';
import { duckdb } from '@lead-scoring/testing';

/** DuckDB (the real engine, from its npm build) and hyparquet reading what the lake wrote: readers other than the writer. */
describe('the Parquet lake read by DuckDB and hyparquet', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lake-duckdb-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const query = duckdb;

  it('returns every row field by field, nulls, lists, unicode and hive partitions included', async () => {
    const records = mixedRecords(700);
    await writeLake(dir, records.map(eventOfRecord));

    const rows = await query(
      `select * from read_parquet('${dir}/scores/*/*/*.parquet', hive_partitioning = true) order by ts`,
    );

    expectRowsOf(rows, records);
    for (const row of rows)
      expect([new Date(row['dt'] as Date).toISOString().slice(0, 10), Number(row['hour'])]).toEqual(['2024-05-01', 7]);
  });

  it('is read the same by hyparquet, column by column', async () => {
    const records = mixedRecords(300);
    await writeLake(dir, records.map(eventOfRecord));
    const [file] = await listLakeFiles(dir);

    const cols = await readLakeColumns(file!.path, [
      'request_id',
      'lead_id',
      'score',
      'probabilities',
      FEATURE_NAMES[3]!,
    ]);

    expect(cols['request_id']).toEqual(records.map((r) => r.request_id));
    expect(cols['lead_id']).toEqual(records.map((r) => r.lead_id));
    expect(cols['score']).toEqual(records.map((r) => r.score));
    expect(cols['probabilities']).toEqual(records.map((r) => r.probabilities?.map(Math.fround) ?? null));
    expect(cols[FEATURE_NAMES[3]!]).toEqual(records.map((r) => (Number.isNaN(r.features[3]!) ? null : r.features[3])));
  });

  it('stores features as FLOAT (the float32 the model saw), timestamps as TIMESTAMP, every column ZSTD-compressed', async () => {
    await writeLake(dir, mixedRecords(20).map(eventOfRecord));
    const glob = `'${dir}/scores/*/*/*.parquet'`;

    const cols = await query(`describe select * from read_parquet(${glob})`);
    const meta = await query(`select path_in_schema, compression, encodings from parquet_metadata(${glob})`);

    const type = (name: string): unknown => cols.find((c) => c['column_name'] === name)?.['column_type'];
    expect([type('ts'), type('score'), type('probabilities'), type(FEATURE_NAMES[0]!)]).toEqual([
      'TIMESTAMP',
      'INTEGER',
      'FLOAT[]',
      'FLOAT',
    ]);
    expect(new Set(meta.map((m) => m['compression']))).toEqual(new Set(['ZSTD']));
    expect(String(meta.find((m) => m['path_in_schema'] === FEATURE_NAMES[0])?.['encodings'])).toContain(
      'BYTE_STREAM_SPLIT',
    );
  });
});
