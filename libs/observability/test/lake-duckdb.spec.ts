import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { FEATURE_NAMES } from '@lead-scoring/feature-schema';
import { ParquetSink } from '../src';
import { packRecords } from '../src/parquet-columns';
import { mixedRecords } from './fixtures';

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
    const sink = new ParquetSink({ dir, maxBatchRecords: 10_000 });
    await sink.write(records.slice(0, 300));
    await sink.writePacked!(packRecords(records.slice(300)));
    const rows = await query(
      `select * from read_parquet('${dir}/scores/*/*/*.parquet', hive_partitioning = true) order by ts`,
    );
    expect(rows).toHaveLength(records.length);
    records.forEach((r, i) => {
      const row = rows[i]!;
      expect(row['request_id']).toBe(r.request_id);
      expect(row['lead_id']).toBe(r.lead_id);
      expect((row['ts'] as Date).getTime()).toBe(r.ts);
      expect([row['model_name'], row['model_version'], row['score']]).toEqual([r.model_name, r.model_version, r.score]);
      expect(row['probabilities']).toEqual(r.probabilities);
      expect(row['probability']).toBe(r.probability);
      expect(row['latency_ms']).toBe(r.latency_ms);
      expect(row['degraded']).toBe(r.degraded);
      expect(row['dt']).toBeDefined();
      FEATURE_NAMES.forEach((name, f) => {
        const v = r.features[f]!;
        expect(row[name]).toBe(Number.isNaN(v) ? null : v);
      });
    });
  });

  it('sees the feature columns as FLOAT and the timestamps as TIMESTAMP', async () => {
    await new ParquetSink({ dir }).write(mixedRecords(20));
    const cols = await query(`describe select * from read_parquet('${dir}/scores/*/*/*.parquet')`);
    const type = (name: string): unknown => cols.find((c) => c['column_name'] === name)?.['column_type'];
    expect([type('ts'), type('score'), type('probabilities'), type(FEATURE_NAMES[0]!)]).toEqual(['TIMESTAMP', 'INTEGER', 'DOUBLE[]', 'FLOAT']);
  });
});
