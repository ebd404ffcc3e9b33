/**
 * A quadrature TreeSHAP kernel over a {@link ShapLayout}: `rows` holds up to `blockRows` expanded rows
 * (2F float32 slots: NaN as -Infinity then as +Infinity), `phi` two float64 partial sums per feature and
 * row; `run` adds the contributions of trees [treeBegin, treeEnd) of the layout's kernel order.
 */
export interface ShapKernel {
  readonly blockRows: number;
  readonly rows: Float32Array;
  readonly phi: Float64Array;
  run(treeBegin: number, treeEnd: number, count: number): void;
}

/** Rows per kernel call: each tree's tables (~20 KB on a depth-8 tree) stay in L1 across them. */
export const SHAP_BLOCK_ROWS = 16;
