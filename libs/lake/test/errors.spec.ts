import { LakeErrorCode, LakeSinkError } from '../src';

describe('the lake error catalog', () => {
  it('has unique codes, each its own name', () => {
    const entries = Object.entries(LakeErrorCode);
    expect(new Set(entries.map(([, v]) => v)).size).toBe(entries.length);
    for (const [k, v] of entries) expect(v).toBe(k);
  });

  it('keeps exactly the undelivered records of a partial sink write', () => {
    const err = new LakeSinkError('2 of 5 records undelivered', ['a', 'b']);
    expect([err.code, err.undelivered]).toEqual(['LAKE_SINK_FAILED', ['a', 'b']]);
  });
});
