import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Runs SQL in a fresh in-memory DuckDB (the real engine, from its npm build: a reader and writer independent of
 * ours) and returns the rows as plain objects (integers as numbers or bigints, as DuckDB's JS conversion gives them).
 *
 * @example const [row] = await duckdb(`select count(*)::int n from read_parquet('${dir}/scores/*\/*\/*.parquet')`);
 */
export async function duckdb(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
  }
}
