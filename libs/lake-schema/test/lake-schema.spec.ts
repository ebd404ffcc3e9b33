import { LAKE_META_COLUMNS, LAKE_RECORD_COLUMNS, lakeParquetColumns } from '../src';

describe('the lake schema', () => {
  it('lists the ten record columns in the order every writer uses', () => {
    expect(LAKE_META_COLUMNS).toEqual([
      'request_id', 'lead_id', 'ts', 'model_name', 'model_version', 'score', 'probabilities', 'probability', 'latency_ms', 'degraded',
    ]);
  });

  it('gives every record column a Parquet and a Glue type', () => {
    for (const c of LAKE_RECORD_COLUMNS) expect([c.parquet.length > 0, c.glue.length > 0]).toEqual([true, true]);
  });

  it('puts one nullable float column per feature after the record columns, in the bundle order', () => {
    const cols = lakeParquetColumns(['b', 'a']);

    expect(cols.slice(10)).toEqual([
      { name: 'b', parquet: 'float', nullable: true },
      { name: 'a', parquet: 'float', nullable: true },
    ]);
  });

  it('refuses a feature named like a record column', () => {
    expect(() => lakeParquetColumns(['score'])).toThrow('feature "score" collides');
  });
});
