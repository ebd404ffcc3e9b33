import { featureValueProblem } from '../src/index';
import { mulberry32, requiredFeatureValues, sampleLead } from '../src/testing';
import { SPECS } from './fixtures';

describe('mulberry32', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);

    const xs = Array.from({ length: 5 }, () => a());

    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(new Set(xs).size).toBe(5);
  });

  it('draws floats in [0, 1)', () => {
    const rng = mulberry32(7);
    const xs = Array.from({ length: 10_000 }, () => rng());

    expect(xs.filter((x) => !(x >= 0 && x < 1))).toEqual([]);
    expect(Math.min(...xs)).toBeLessThan(0.01);
    expect(Math.max(...xs)).toBeGreaterThan(0.99);
  });
});

describe('sampleLead', () => {
  const rng = mulberry32(1);
  const rows = Array.from({ length: 500 }, () => sampleLead(SPECS, rng));

  it('draws one value per feature that each feature accepts, unbounded ranges included', () => {
    const problems = rows.flatMap((row, r) =>
      row.length !== SPECS.length
        ? [`row ${r}: ${row.length} values`]
        : row.flatMap((v, i) => featureValueProblem(SPECS[i]!, v) ?? []),
    );

    expect(problems).toEqual([]);
  });

  it('leaves some values missing, but only where allowed', () => {
    const nulls = rows.flatMap((row) => row.map((v, i) => (v === null ? i : -1))).filter((i) => i >= 0);

    expect(nulls.length).toBeGreaterThan(100);
    expect(nulls.filter((i) => !SPECS[i]!.allowMissing)).toEqual([]);
  });

  it('varies every feature across rows', () => {
    SPECS.forEach((_, i) => expect(new Set(rows.map((r) => r[i])).size).toBeGreaterThan(1));
  });
});

describe('requiredFeatureValues', () => {
  it('gives the least valid value of every feature that may not be missing', () => {
    expect(requiredFeatureValues(SPECS)).toEqual({ web_visits_30d: 0, demo_requested: 0, pricing_views: 0 });
  });
});
