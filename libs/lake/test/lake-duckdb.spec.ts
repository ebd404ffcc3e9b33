import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { FEATURE_NAMES, NUM_FEATURES, expectRowsOf, mixedRecords } from './fixtures';
import { ParquetSink } from '../src';
import { packRecords } from '../src/parquet-columns';

/** DuckDB (the real engine, from its npm build) reading what the lake sink wrote: another reader than the writer. */
describe('the Parquet lake read by DuckDB', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lake-duckdb-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function query(sql: string): Promise<Record<string, unknown>[]> {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    } finally {
      conn.closeSync();
    }
  }

  it('returns every row field by field, nulls, lists and hive partitions included', async () => {
    const records = mixedRecords(700);
    const sink = new ParquetSink({ featureNames: FEATURE_NAMES, dir, maxBatchRecords: 10_000 });
    await sink.write(records.slice(0, 300));
    await sink.writePacked!(packRecords(records.slice(300), NUM_FEATURES));
    const rows = await query(
      `select * from read_parquet('${dir}/scores/*/*/*.parquet', hive_partitioning = true) order by ts`,
    );
    expectRowsOf(rows, records);
    for (const row of rows) expect(row['dt']).toBeDefined();
  });

  it('reads dictionary-encoded strings back: ids repeated per request, nullable lead ids with repeats', async () => {
    const records = mixedRecords(600).map((r, i) => ({
      ...r,
      request_id: `req-${Math.floor(i / 50)}`,
      lead_id: i % 3 === 0 ? null : `lead-${i % 7}`,
    }));
    const sink = new ParquetSink({ featureNames: FEATURE_NAMES, dir });
    await sink.write(records);
    const rows = await query(`select request_id, lead_id, model_version from read_parquet('${dir}/scores/*/*/*.parquet') order by ts`);
    expect(rows.map((r) => [r['request_id'], r['lead_id'], r['model_version']])).toEqual(records.map((r) => [r.request_id, r.lead_id, r.model_version]));
    const meta = await query(
      `select path_in_schema, encodings from parquet_metadata('${dir}/scores/*/*/*.parquet') where path_in_schema in ('request_id', 'lead_id', 'model_name')`,
    );
    for (const m of meta) expect(String(m['encodings'])).toContain('RLE_DICTIONARY');
    expect(meta).toHaveLength(3);
  });

  it('reads a batch larger than a row group as one table, in row groups of 2,048 rows', async () => {
    const records = mixedRecords(5000).map((r, i) => ({ ...r, ts: Date.UTC(2024, 4, 1, 7, 0) + i * 100 })); // one hour: one file
    await new ParquetSink({ featureNames: FEATURE_NAMES, dir }).writePacked!(packRecords(records, NUM_FEATURES));
    const files = `read_parquet('${dir}/scores/*/*/*.parquet')`;
    const rows = await query(`select request_id, score, company_employees from ${files} order by ts`);
    expect(rows.map((r) => [r['request_id'], r['score']])).toEqual(records.map((r) => [r.request_id, r.score]));
    const f = FEATURE_NAMES.indexOf('company_employees');
    expect(rows.map((r) => r['company_employees'])).toEqual(records.map((r) => (Number.isNaN(r.features[f]!) ? null : r.features[f])));
    const groups = await query(`select row_group_id, any_value(row_group_num_rows) as n from parquet_metadata('${dir}/scores/*/*/*.parquet') group by 1 order by 1`);
    expect(groups.map((g) => Number(g['n']))).toEqual([2048, 2048, 904]);
  });

  it('reads the class probabilities of a multi-class stream (bit-packed repetition levels) across row groups', async () => {
    const records = mixedRecords(2051).map((r, i) => ({
      ...r, ts: Date.UTC(2024, 4, 1, 7, 0) + i, probability: null, probabilities: [0.5, 0.25, i / 4096, 0.125, 0],
    }));
    await new ParquetSink({ featureNames: FEATURE_NAMES, dir }).writePacked!(packRecords(records, NUM_FEATURES));
    const rows = await query(`select probabilities from read_parquet('${dir}/scores/*/*/*.parquet') order by ts`);
    expect(rows.map((r) => r['probabilities'])).toEqual(records.map((r) => r.probabilities));
  });

  it('sees the feature columns as FLOAT and the timestamps as TIMESTAMP', async () => {
    await new ParquetSink({ featureNames: FEATURE_NAMES, dir }).write(mixedRecords(20));
    const cols = await query(`describe select * from read_parquet('${dir}/scores/*/*/*.parquet')`);
    const type = (name: string): unknown => cols.find((c) => c['column_name'] === name)?.['column_type'];
    expect([type('ts'), type('score'), type('probabilities'), type(FEATURE_NAMES[0]!)]).toEqual(['TIMESTAMP', 'INTEGER', 'DOUBLE[]', 'FLOAT']);
  });
});
