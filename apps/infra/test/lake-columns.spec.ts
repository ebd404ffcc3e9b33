import { LAKE_META_GLUE_COLUMNS, PARTITION_QUERY, lakeGlueColumns } from '../src/lake-columns';

describe('lake columns', () => {
  it('lists the fourteen record columns (the shadow result last), then the features as one name-to-value map', () => {
    const cols = lakeGlueColumns();

    expect(cols.map((c) => `${c.name}:${c.type}`)).toEqual([
      'request_id:string',
      'lead_id:string',
      'ts:timestamp',
      'model_name:string',
      'model_version:string',
      'score:int',
      'probabilities:array<float>',
      'probability:float',
      'latency_ms:float',
      'degraded:boolean',
      'shadow_model_version:string',
      'shadow_score:int',
      'shadow_probabilities:array<float>',
      'shadow_probability:float',
      'features:map<string,double>',
    ]);
  });

  it('names no feature, so a bundle with other features needs no table change', () => {
    expect(lakeGlueColumns().map((c) => c.name)).not.toContain('web_visits_30d');
  });

  it('uses only lowercase Hive-safe names, none twice', () => {
    const names = lakeGlueColumns().map((c) => c.name);
    expect(names.filter((n) => !/^[a-z][a-z0-9_]*$/.test(n))).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
    expect(LAKE_META_GLUE_COLUMNS.map((c) => c.name)).not.toContain('dt');
  });

  it('partitions on the record timestamp, both ISO text and epoch milliseconds', () => {
    expect(PARTITION_QUERY).toContain('todate');
    expect(PARTITION_QUERY).toMatch(/dt: \(\$t \| \.\[0:10\]\), hour: \(\$t \| \.\[11:13\]\)/);
  });
});
