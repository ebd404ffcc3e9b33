import { FeatureColumns } from '../src/feature-columns';
import { mulberry32 } from '@lead-scoring/feature-schema/testing';

/** The straightforward split: per column, present values (not NaN) in row order and LSB-first definition bits. */
function reference(bits: Int32Array, n: number, width: number, c: number): { values: number[]; bits: number[] } {
  const values: number[] = [];
  const def = new Array<number>((n + 7) >> 3).fill(0);
  for (let i = 0; i < n; i++) {
    const v = bits[i * width + c]!;
    if (Number.isNaN(new Float32Array(new Int32Array([v]).buffer)[0])) continue;
    values.push(v);
    def[i >> 3]! |= 1 << (i & 7);
  }
  return { values, bits: def };
}

function expectSplit(cols: FeatureColumns, bits: Int32Array, n: number, width: number): void {
  for (let c = 0; c < width; c++) {
    const want = reference(bits, n, width, c);
    expect(cols.count(c)).toBe(want.values.length);
    expect(Array.from(cols.values(c))).toEqual(want.values);
    expect(Array.from(cols.bits(c).subarray(0, (n + 7) >> 3))).toEqual(want.bits);
  }
}

/** Random float32 bit patterns with `nanRate` of NaN among them (every NaN flavour), and the edge values. */
function randomBits(n: number, width: number, nanRate: number, seed: number): Int32Array {
  const rng = mulberry32(seed);
  const nans = [0x7fc00000, 0xffc00000 | 0, 0x7f800001, 0xff800001 | 0, 0x7fffffff, 0xffffffff | 0];
  const edges = [0x7f800000, 0xff800000 | 0, 0x80000000 | 0, 0, 1, 0x007fffff, 0x3f800000];
  const out = new Int32Array(n * width);
  for (let i = 0; i < out.length; i++) {
    const r = rng();
    if (r < nanRate) out[i] = nans[Math.floor(rng() * nans.length)]!;
    else if (r < nanRate + 0.05) out[i] = edges[Math.floor(rng() * edges.length)]!;
    else out[i] = ((rng() * 2 ** 32) | 0) & 0xbfffffff; // finite: the top exponent bit cleared
  }
  return out;
}

describe('FeatureColumns (WebAssembly SIMD split of row-major features into Parquet columns)', () => {
  it.each([
    [50, 2048], [50, 0], [50, 1], [50, 7], [50, 8], [50, 9], [3, 2051], [1, 13], [51, 100],
  ])('splits %i features × %i rows into the present values and definition bits of each column', (width, n) => {
    const bits = randomBits(n, width, 0.2, width * 1000 + n);
    const cols = new FeatureColumns(width);
    cols.load(bits, n);
    expectSplit(cols, bits, n, width);
  });

  it('treats every NaN bit pattern as missing and keeps ±Infinity, -0 and subnormals as values', () => {
    const patterns = [0x7fc00000, 0xffc00000 | 0, 0x7f800001, 0xff800001 | 0, 0x7fffffff, 0xffffffff | 0, 0x7f800000, 0xff800000 | 0, 0x80000000 | 0, 0x00000001, 0x807fffff | 0];
    const cols = new FeatureColumns(1);
    cols.load(Int32Array.from(patterns), patterns.length);
    expect(Array.from(cols.values(0))).toEqual([0x7f800000, 0xff800000 | 0, 0x80000000 | 0, 1, 0x807fffff | 0]);
    expect(Array.from(cols.bits(0).subarray(0, 2))).toEqual([0b11000000, 0b111]);
  });

  it('gives a column with no missing value all its rows, and an all-missing column none', () => {
    const n = 20;
    const bits = new Int32Array(n * 2);
    for (let i = 0; i < n; i++) {
      bits[2 * i] = Math.fround(i) === 0 ? 0 : new Int32Array(Float32Array.of(i).buffer)[0]!;
      bits[2 * i + 1] = 0x7fc00000;
    }
    const cols = new FeatureColumns(2);
    cols.load(bits, n);
    expect(cols.count(0)).toBe(n);
    expect(cols.count(1)).toBe(0);
    expect(Array.from(cols.bits(0).subarray(0, 3))).toEqual([0xff, 0xff, 0x0f]);
    expect(Array.from(cols.bits(1).subarray(0, 3))).toEqual([0, 0, 0]);
  });

  it('grows for a bigger load and leaves nothing of an earlier load in a smaller one', () => {
    const cols = new FeatureColumns(50);
    const big = randomBits(3000, 50, 0.1, 1);
    cols.load(big, 3000);
    expectSplit(cols, big, 3000, 50);
    const small = randomBits(5, 50, 0.5, 2);
    cols.load(small, 5);
    expectSplit(cols, small, 5, 50);
    const again = randomBits(100, 50, 0, 3);
    cols.load(again, 100);
    expectSplit(cols, again, 100, 50);
  });

  it('reads only the first n rows of a longer buffer', () => {
    const bits = randomBits(64, 4, 0.3, 9);
    const cols = new FeatureColumns(4);
    cols.load(bits, 10);
    expectSplit(cols, bits, 10, 4);
  });
});
