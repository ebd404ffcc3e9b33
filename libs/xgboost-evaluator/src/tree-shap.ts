import { EvaluatorError, EvaluatorErrorCode } from './errors';
import { JsShapKernel } from './js-shap-kernel';
import type { ModelSpec } from './model-spec';
import type { ShapKernel } from './shap-kernel';
import { buildShapLayout, type ShapLayout } from './tree-shap-layout';
import { WasmShapKernel } from './wasm-shap-kernel';

/**
 * TreeSHAP contributions as XGBoost's `predict(pred_contribs=True)` gives them, by exact Gauss-Legendre
 * quadrature over each tree's paths (tree-shap-layout.ts states the method,
 * docs/adr/0005-treeshap-quadrature-kernel.md why). Node covers are the trees' `sum_hessian`; each group's
 * bias is its base margin plus its trees' expected values, so a group's contributions add up to its margin.
 * Float32 lanes, float64 sums: within 1e-6 (relative to the largest value) of the exact Lundberg algorithm
 * on every parity fixture.
 */
export class TreeShap {
  private readonly layout: ShapLayout;
  private readonly kernel: ShapKernel;
  private readonly F: number;
  private readonly G: number;

  constructor(
    spec: ModelSpec,
    private readonly baseMargins: ArrayLike<number>,
    engine: 'wasm' | 'js' = 'wasm',
  ) {
    this.layout = buildShapLayout(spec);
    this.kernel =
      engine === 'wasm' && typeof WebAssembly === 'object'
        ? new WasmShapKernel(this.layout)
        : new JsShapKernel(this.layout);
    this.F = spec.numFeatures;
    this.G = spec.numGroups;
  }

  /**
   * Writes the contributions of `nRows` rows of `x` into `out`: every group (`nRows × numGroups` blocks of
   * numFeatures + 1, bias last) when `group` is undefined, else one block per row, of `group` (one for all
   * rows, or one per row).
   */
  explain(x: Float32Array, nRows: number, out: Float64Array, group?: number | Int32Array): void {
    const B = this.kernel.blockRows;
    if (group === undefined) {
      for (let start = 0; start < nRows; start += B) {
        const count = Math.min(B, nRows - start);
        this.load(x, undefined, start, count);
        for (let g = 0; g < this.G; g++) this.runGroup(g, undefined, start, count, out, this.G);
      }
      return;
    }
    if (typeof group === 'number') {
      this.checkGroup(group, 0);
      for (let start = 0; start < nRows; start += B) {
        const count = Math.min(B, nRows - start);
        this.load(x, undefined, start, count);
        this.runGroup(group, undefined, start, count, out, 1);
      }
      return;
    }
    if (group.length < nRows) {
      throw new EvaluatorError(
        EvaluatorErrorCode.INPUT_SHAPE,
        `expected a group for each of ${nRows} rows, got ${group.length}`,
      );
    }
    // Rows sorted by group (counting sort), so a block of rows walks one group's trees.
    const begin = new Int32Array(this.G + 1);
    for (let r = 0; r < nRows; r++) begin[this.checkGroup(group[r]!, r) + 1]!++;
    for (let g = 0; g < this.G; g++) begin[g + 1]! += begin[g]!;
    const order = new Int32Array(nRows);
    const next = begin.slice(0, this.G);
    for (let r = 0; r < nRows; r++) order[next[group[r]!]!++] = r;
    for (let g = 0; g < this.G; g++) {
      for (let start = begin[g]!; start < begin[g + 1]!; start += B) {
        const count = Math.min(B, begin[g + 1]! - start);
        this.load(x, order, start, count);
        this.runGroup(g, order, start, count, out, 1);
      }
    }
  }

  private checkGroup(g: number, row: number): number {
    if (!Number.isInteger(g) || g < 0 || g >= this.G) {
      throw new EvaluatorError(
        EvaluatorErrorCode.INPUT_SHAPE,
        `row ${row}: group ${g} is not one of the model's ${this.G} output groups`,
      );
    }
    return g;
  }

  /** Expands rows (order[start + r], or start + r) into the kernel's 2F slots: NaN as -Infinity, then as +Infinity. */
  private load(x: Float32Array, order: Int32Array | undefined, start: number, count: number): void {
    const F = this.F;
    const rows = this.kernel.rows;
    for (let r = 0; r < count; r++) {
      const src = (order ? order[start + r]! : start + r) * F;
      const dst = r * 2 * F;
      for (let f = 0; f < F; f++) {
        const v = x[src + f]!;
        const missing = v !== v;
        rows[dst + f] = missing ? -Infinity : v;
        rows[dst + F + f] = missing ? Infinity : v;
      }
    }
  }

  /** Runs group g's trees over the loaded rows and writes each row's block: out[(row·perRow + g or 0)·(F+1)]. */
  private runGroup(
    g: number,
    order: Int32Array | undefined,
    start: number,
    count: number,
    out: Float64Array,
    perRow: number,
  ): void {
    const F = this.F;
    const phi = this.kernel.phi;
    phi.fill(0, 0, count * 2 * F);
    this.kernel.run(this.layout.groupStart[g]!, this.layout.groupStart[g + 1]!, count);
    const bias = this.baseMargins[g]! + this.layout.bias[g]!;
    for (let r = 0; r < count; r++) {
      const row = order ? order[start + r]! : start + r;
      const o = (row * perRow + (perRow === 1 ? 0 : g)) * (F + 1);
      const p = r * 2 * F;
      for (let i = 0; i < F; i++) out[o + i] = phi[p + 2 * i]! + phi[p + 2 * i + 1]!;
      out[o + F] = bias;
    }
  }
}
