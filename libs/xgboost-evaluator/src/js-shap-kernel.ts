import { SHAP_BLOCK_ROWS, type ShapKernel } from './shap-kernel';
import { LANES, RECORD, TABLE, type ShapLayout } from './tree-shap-layout';

const f32 = Math.fround;

/**
 * tree-shap.wat in plain JavaScript, for runtimes without WebAssembly: the same float32 operations in the
 * same order (products and sums rounded by `Math.fround` or a Float32Array store, each exact to float32
 * because a float64 holds their unrounded result or rounds it once), so both engines give the same bits.
 */
export class JsShapKernel implements ShapKernel {
  readonly blockRows = SHAP_BLOCK_ROWS;
  readonly rows: Float32Array;
  readonly phi: Float64Array;
  private readonly records: Int32Array;
  private readonly thresholds: Float32Array;
  private readonly tables: Float32Array;
  private readonly directory: Int32Array;
  private readonly nodes: Float32Array;
  private readonly live: Int32Array;
  private readonly codes: Int32Array;
  private readonly stride: number;
  private readonly passes: number;
  private readonly passStride: number;

  constructor(layout: ShapLayout) {
    const F = layout.numFeatures;
    this.records = layout.records;
    this.thresholds = new Float32Array(layout.records.buffer, layout.records.byteOffset, layout.records.length);
    this.tables = layout.tables;
    this.directory = layout.directory;
    this.nodes = new Float32Array(layout.maxNodes * LANES);
    this.live = new Int32Array(layout.maxNodes + 1);
    this.live[layout.maxNodes] = 1;
    this.codes = new Int32Array(Math.max(1, layout.maxInternal) * 2);
    this.stride = 2 * F;
    this.rows = new Float32Array(SHAP_BLOCK_ROWS * this.stride);
    this.phi = new Float64Array(SHAP_BLOCK_ROWS * F * 2);
    this.passes = layout.passes;
    this.passStride = (layout.records.length / RECORD) * TABLE;
  }

  run(treeBegin: number, treeEnd: number, count: number): void {
    for (let t = treeBegin; t < treeEnd; t++) {
      const recBegin = this.directory[t * 4]!;
      const recEnd = this.directory[t * 4 + 1]!;
      const tabBegin = this.directory[t * 4 + 2]! * TABLE;
      for (let r = 0; r < count; r++) {
        for (let pass = 0; pass < this.passes; pass++) {
          const tab = tabBegin + pass * this.passStride;
          this.forward(recBegin, recEnd, tab, r * this.stride);
          this.backward(recBegin, recEnd, tab, r * this.stride);
        }
      }
    }
  }

  private forward(recBegin: number, recEnd: number, tab0: number, row: number): void {
    const { records, thresholds, tables, nodes, live, codes, rows } = this;
    nodes[0] = nodes[1] = nodes[2] = nodes[3] = 1;
    for (let k = recBegin, i = 0; k < recEnd; k++, i++) {
      const rec = k * RECORD;
      const goRight = rows[row + (records[rec]! >> 2)]! >= thresholds[rec + 1]! ? 1 : 0;
      const follow = live[records[rec + 4]! >> 2]!;
      const left = follow * (2 - goRight);
      const right = follow * (1 + goRight);
      const p = records[rec + 2]! >> 2;
      const c = records[rec + 3]! >> 2;
      const tl = tab0 + i * TABLE + left * 4;
      const tr = tab0 + i * TABLE + 12 + right * 4;
      const p0 = nodes[p]!;
      const p1 = nodes[p + 1]!;
      const p2 = nodes[p + 2]!;
      const p3 = nodes[p + 3]!;
      // Float32Array stores round each product to float32, as f32x4.mul does.
      nodes[c] = p0 * tables[tl]!;
      nodes[c + 1] = p1 * tables[tl + 1]!;
      nodes[c + 2] = p2 * tables[tl + 2]!;
      nodes[c + 3] = p3 * tables[tl + 3]!;
      nodes[c + 4] = p0 * tables[tr]!;
      nodes[c + 5] = p1 * tables[tr + 1]!;
      nodes[c + 6] = p2 * tables[tr + 2]!;
      nodes[c + 7] = p3 * tables[tr + 3]!;
      live[c >> 2] = follow & (goRight ^ 1);
      live[(c >> 2) + 1] = follow & goRight;
      codes[2 * i] = left;
      codes[2 * i + 1] = right;
    }
  }

  private backward(recBegin: number, recEnd: number, tab0: number, row: number): void {
    const { records, tables, nodes, codes, phi } = this;
    for (let k = recEnd - 1, i = recEnd - recBegin - 1; k >= recBegin; k--, i--) {
      const rec = k * RECORD;
      const p = records[rec + 2]! >> 2;
      const c = records[rec + 3]! >> 2;
      const gl = tab0 + i * TABLE + 24 + codes[2 * i]! * 4;
      const gr = tab0 + i * TABLE + 36 + codes[2 * i + 1]! * 4;
      const l0 = nodes[c]!;
      const l1 = nodes[c + 1]!;
      const l2 = nodes[c + 2]!;
      const l3 = nodes[c + 3]!;
      const r0 = nodes[c + 4]!;
      const r1 = nodes[c + 5]!;
      const r2 = nodes[c + 6]!;
      const r3 = nodes[c + 7]!;
      nodes[p] = l0 + r0;
      nodes[p + 1] = l1 + r1;
      nodes[p + 2] = l2 + r2;
      nodes[p + 3] = l3 + r3;
      const v0 = f32(f32(l0 * tables[gl]!) + f32(r0 * tables[gr]!));
      const v1 = f32(f32(l1 * tables[gl + 1]!) + f32(r1 * tables[gr + 1]!));
      const v2 = f32(f32(l2 * tables[gl + 2]!) + f32(r2 * tables[gr + 2]!));
      const v3 = f32(f32(l3 * tables[gl + 3]!) + f32(r3 * tables[gr + 3]!));
      // The WebAssembly kernel's two float64 lanes: v0 + v2 and v1 + v3.
      const f = row + (records[rec + 5]! >> 3);
      phi[f] = phi[f]! + (v0 + v2);
      phi[f + 1] = phi[f + 1]! + (v1 + v3);
    }
  }
}
