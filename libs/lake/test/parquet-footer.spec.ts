import { FEATURE_NAMES, NUM_FEATURES, mixedRecords } from './fixtures';
import { packRecords } from '../src/parquet-columns';
import { leaves } from '../src/parquet-footer';
import { encodeLakeParquet } from '../src/parquet-plain-encoder';

describe('the layout a feature-name list fixes', () => {
  it('is found by content, so the copy the worker thread receives with each file reuses the same leaves', () => {
    const copy = structuredClone(FEATURE_NAMES) as readonly string[];

    expect(copy).not.toBe(FEATURE_NAMES);
    expect(leaves(copy)).toBe(leaves(FEATURE_NAMES));
  });

  it('is its own for a list that differs in one name', () => {
    const renamed = FEATURE_NAMES.map((n, i) => (i === 7 ? `${n}_v2` : n));

    expect(leaves(renamed)).not.toBe(leaves(FEATURE_NAMES));
    expect(leaves(renamed)[10 + 7]!.path).toEqual([`${FEATURE_NAMES[7]}_v2`]);
  });

  it('gives a copy of the names the same file, byte for byte, after a different list was encoded', () => {
    const packed = packRecords(mixedRecords(40), NUM_FEATURES);
    const first = Uint8Array.from(encodeLakeParquet(packed, FEATURE_NAMES, 'w'));
    encodeLakeParquet(packed, FEATURE_NAMES.map((n) => `${n}_x`), 'w');

    expect(Uint8Array.from(encodeLakeParquet(packed, [...FEATURE_NAMES], 'w'))).toEqual(first);
  });
});
