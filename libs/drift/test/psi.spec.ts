import { DriftErrorCode, binSlot, compileFeatureBins, parseBaseline, psi, PSI_EPSILON } from '../src';

describe('psi', () => {
  it('matches a hand-computed value for two bins', () => {
    // (0.25-0.5)*ln(0.25/0.5) + (0.75-0.5)*ln(0.75/0.5) = 0.25*ln2 + 0.25*ln1.5 = 0.173287 + 0.101366
    expect(psi([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.274653, 6);
  });

  it('matches a hand-computed value for four bins', () => {
    // 0.1*ln(2) + 0 + (-0.1)*ln(0.5) + 0 = 0.2*ln2 = 0.138629
    expect(psi([0.1, 0.4, 0.2, 0.3], [0.2, 0.4, 0.1, 0.3])).toBeCloseTo(0.138629, 6);
  });

  it('is zero for identical distributions', () => {
    expect(psi([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
  });

  it('floors an empty bin at epsilon instead of returning infinity', () => {
    // bin 2 empty now: (1e-4 - 0.5)*ln(1e-4/0.5) + (1-0.5)*ln(1/0.5)
    const expected = (PSI_EPSILON - 0.5) * Math.log(PSI_EPSILON / 0.5) + 0.5 * Math.log(2);
    expect(psi([0.5, 0.5], [1, 0])).toBeCloseTo(expected, 9);
    expect(Number.isFinite(psi([0, 1], [1, 0]))).toBe(true);
  });

  it('rejects distributions with different bin counts', () => {
    expect(() => psi([1], [0.5, 0.5])).toThrow(RangeError);
  });
});

describe('binSlot', () => {
  const cuts = new Float64Array([1, 2, 5]);

  it('puts missing values in slot 0', () => {
    expect(binSlot(cuts, NaN)).toBe(0);
    expect(binSlot(cuts, null)).toBe(0);
  });

  it('uses right-closed bins like the bundle baseline (edges[i-1] < v <= edges[i])', () => {
    expect([0.5, 1, 1.5, 2, 4.99, 5, 100].map((v) => binSlot(cuts, v))).toEqual([1, 1, 2, 2, 3, 3, 4]);
  });
});

describe('compileFeatureBins', () => {
  it('drops outer edges and weights proportions by the non-missing share', () => {
    const bins = compileFeatureBins({ edges: [0, 10, 20], proportions: [0.25, 0.75], missing_rate: 0.2 });
    expect([...bins.cuts]).toEqual([10]);
    expect([...bins.expected].map((v) => +v.toFixed(6))).toEqual([0.2, 0.2, 0.6]);
  });

  it('accepts interior cut points only', () => {
    const bins = compileFeatureBins({ edges: [10], proportions: [0.5, 0.5], missing_rate: 0 });
    expect([...bins.cuts]).toEqual([10]);
  });
});

describe('parseBaseline', () => {
  const good = {
    features: { a: { edges: [0, 1, 2], proportions: [0.5, 0.5], missing_rate: 0 } },
    scores: { proportions: [0.2, 0.2, 0.2, 0.2, 0.2] },
  };

  it('reads the baseline out of a whole manifest', () => {
    expect(parseBaseline({ name: 'demo', baseline: good }).features['a']?.edges).toEqual([0, 1, 2]);
  });

  it('names the bad path when edges and proportions disagree', () => {
    const bad = { ...good, features: { a: { edges: [0, 1], proportions: [0.5, 0.5], missing_rate: 0 } } };
    expect(() => parseBaseline(bad)).toThrow(/baseline\.features\.a/);
  });

  it('rejects a score distribution without five bins', () => {
    expect(() => parseBaseline({ ...good, scores: { proportions: [1] } })).toThrow(
      expect.objectContaining({ code: 'DRIFT_BASELINE_INVALID' }),
    );
  });
});

describe('error catalog', () => {
  it('has unique codes', () => {
    const codes = Object.values(DriftErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
