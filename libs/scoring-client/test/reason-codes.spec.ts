import { reasonCodes, shortestFloat32, strongestFeatures } from '../src/reason-codes';

describe('strongestFeatures', () => {
  it('picks the n largest |contribution| of the row, strongest first, ignoring the bias', () => {
    const top = new Int32Array(8);

    const count = strongestFeatures(Float64Array.of(0.1, -0.5, 0.2, 0.05, 9), 0, 4, 2, top);

    expect(Array.from(top.subarray(0, count))).toEqual([1, 2]);
  });

  it('breaks ties by the lower feature, as a stable sort would', () => {
    const top = new Int32Array(8);

    const count = strongestFeatures(Float64Array.of(0.3, -0.3, 0.1, 0.3), 0, 4, 3, top);

    expect(Array.from(top.subarray(0, count))).toEqual([0, 1, 3]);
  });

  it('reads the block at the offset and returns every feature when n exceeds them', () => {
    const top = new Int32Array(8);
    const contribs = Float64Array.of(9, 9, 9, 0.2, -0.4, 0.1, 7);

    const count = strongestFeatures(contribs, 3, 3, 10, top);

    expect(Array.from(top.subarray(0, count))).toEqual([1, 0, 2]);
  });

  it('agrees with sorting every feature on random rows', () => {
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
    const top = new Int32Array(64);
    for (let trial = 0; trial < 200; trial++) {
      const contribs = Float64Array.from({ length: 51 }, () => Math.round(rand() * 20) / 10);
      const n = 1 + (trial % 50);

      const count = strongestFeatures(contribs, 0, 50, n, top);

      const sorted = Array.from({ length: 50 }, (_, j) => j).sort(
        (a, b) => Math.abs(contribs[b]!) - Math.abs(contribs[a]!) || a - b,
      );
      expect(Array.from(top.subarray(0, count))).toEqual(sorted.slice(0, n));
    }
  });
});

describe('reasonCodes', () => {
  it('names each feature and gives its value as sent (null when missing) with its contribution', () => {
    const x = Float32Array.of(0.1, NaN, 3);

    const reasons = reasonCodes({
      names: ['a', 'b', 'c'],
      x,
      row: 0,
      numFeatures: 3,
      contribs: Float64Array.of(0.5, -1, 0, 2),
      offset: 0,
      top: Int32Array.of(1, 0),
      count: 2,
    });

    expect(reasons).toEqual([
      { feature: 'b', value: null, contribution: -1 },
      { feature: 'a', value: 0.1, contribution: 0.5 },
    ]);
  });

  it('writes float32 values as their shortest decimal', () => {
    expect(shortestFloat32(Math.fround(0.1))).toBe(0.1);
    expect(shortestFloat32(Math.fround(1234.5678))).toBe(1234.5677);
  });
});
