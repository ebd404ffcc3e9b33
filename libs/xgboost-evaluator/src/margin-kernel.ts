import type { Forest } from './forest';

/** Rows per block: enough independent walks to hide load latency, small enough to stay in L1. */
const BLOCK = 64;

/**
 * Computes raw margins for `nRows` rows of `x` (row-major, `numFeatures` per row, NaN = missing)
 * into `out` (`nRows * numGroups`), bit-for-bit as XGBoost's CPU predictor: float32 inputs,
 * `value < threshold` goes left, float32 accumulation in tree order starting from the base margin.
 */
export class MarginKernel {
  private readonly stride: number;
  private readonly rows: Float32Array;
  private readonly nodes: Int32Array;
  private readonly acc: Float32Array;

  constructor(
    private readonly forest: Forest,
    private readonly base: number,
  ) {
    this.stride = 2 * forest.numFeatures;
    this.rows = new Float32Array(BLOCK * this.stride);
    this.nodes = new Int32Array(Math.max(BLOCK, forest.numTrees));
    this.acc = new Float32Array(BLOCK * forest.numGroups);
  }

  run(x: Float32Array, nRows: number, out: Float64Array): void {
    if (nRows === 1) {
      this.single(x, 0, out, 0);
      return;
    }
    for (let start = 0; start < nRows; start += BLOCK) {
      this.block(x, start, Math.min(BLOCK, nRows - start), out);
    }
  }

  /** Expands rows [start, start+count) into the 2F-slot layout (see Forest). */
  private expand(x: Float32Array, start: number, count: number): void {
    const F = this.forest.numFeatures;
    const S = this.stride;
    const rows = this.rows;
    for (let r = 0; r < count; r++) {
      const src = (start + r) * F;
      const dst = r * S;
      for (let f = 0; f < F; f++) {
        const v = x[src + f]!;
        if (v !== v) {
          rows[dst + f] = -Infinity;
          rows[dst + F + f] = Infinity;
        } else {
          rows[dst + f] = v;
          rows[dst + F + f] = v;
        }
      }
    }
  }

  private block(x: Float32Array, start: number, count: number, out: Float64Array): void {
    const { slot, threshold, left, leafValue, root, depth, group, numTrees, numGroups: G } = this.forest;
    const S = this.stride;
    const rows = this.rows;
    const nodes = this.nodes;
    const acc = this.acc;
    this.expand(x, start, count);
    acc.fill(this.base, 0, count * G);
    for (let t = 0; t < numTrees; t++) {
      const r0 = root[t]!;
      for (let r = 0; r < count; r++) nodes[r] = r0;
      for (let d = depth[t]!; d > 0; d--) {
        for (let r = 0, off = 0; r < count; r++, off += S) {
          const n = nodes[r]!;
          nodes[r] = left[n]! + (rows[off + slot[n]!]! >= threshold[n]! ? 1 : 0);
        }
      }
      const g = group[t]!;
      for (let r = 0; r < count; r++) {
        const i = r * G + g;
        acc[i] = acc[i]! + leafValue[nodes[r]!]!;
      }
    }
    const o = start * G;
    for (let i = 0; i < count * G; i++) out[o + i] = acc[i]!;
  }

  /** One row: walk all trees level by level together, so their walks overlap in the CPU. */
  private single(x: Float32Array, start: number, out: Float64Array, outOffset: number): void {
    const { slot, threshold, left, leafValue, root, group, numTrees, numGroups: G, maxDepth } = this.forest;
    const rows = this.rows;
    const nodes = this.nodes;
    const acc = this.acc;
    this.expand(x, start, 1);
    for (let t = 0; t < numTrees; t++) nodes[t] = root[t]!;
    for (let d = 0; d < maxDepth; d++) {
      for (let t = 0; t < numTrees; t++) {
        const n = nodes[t]!;
        nodes[t] = left[n]! + (rows[slot[n]!]! >= threshold[n]! ? 1 : 0);
      }
    }
    acc.fill(this.base, 0, G);
    for (let t = 0; t < numTrees; t++) {
      const g = group[t]!;
      acc[g] = acc[g]! + leafValue[nodes[t]!]!;
    }
    for (let g = 0; g < G; g++) out[outOffset + g] = acc[g]!;
  }
}
