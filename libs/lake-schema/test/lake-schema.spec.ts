import { LAKE_META_COLUMNS, LAKE_RECORD_COLUMNS, lakeParquetColumns } from '../src';

describe('the lake schema', () => {
  it('lists the fourteen record columns in the order every writer uses, the shadow result last', () => {
    expect(LAKE_META_COLUMNS).toEqual([
      'request_id',
      'lead_id',
      'ts',
      'model_name',
      'model_version',
      'score',
      'probabilities',
      'probability',
      'latency_ms',
      'degraded',
      'shadow_model_version',
      'shadow_score',
      'shadow_probabilities',
      'shadow_probability',
    ]);
  });

  it('lets every shadow column be null, since a lead may have no shadow result', () => {
    const shadow = LAKE_RECORD_COLUMNS.filter((c) => c.name.startsWith('shadow_'));

    expect(shadow.map((c) => [c.name, c.nullable])).toEqual([
      ['shadow_model_version', true],
      ['shadow_score', true],
      ['shadow_probabilities', true],
      ['shadow_probability', true],
    ]);
  });

  it('gives every record column a Parquet and a Glue type', () => {
    for (const c of LAKE_RECORD_COLUMNS) expect([c.parquet.length > 0, c.glue.length > 0]).toEqual([true, true]);
  });

  it('puts one nullable float column per feature after the record columns, in the bundle order', () => {
    const cols = lakeParquetColumns(['b', 'a']);

    expect(cols.slice(14)).toEqual([
      { name: 'b', parquet: 'float', nullable: true },
      { name: 'a', parquet: 'float', nullable: true },
    ]);
  });

  it('refuses a feature named like a record column', () => {
    expect(() => lakeParquetColumns(['score'])).toThrow('feature "score" collides');
  });
});
