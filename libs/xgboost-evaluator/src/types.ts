/** Objectives the evaluator supports, named as XGBoost names them. */
export type ObjectiveName =
  | 'binary:logistic'
  | 'binary:logitraw'
  | 'reg:squarederror'
  | 'reg:logistic'
  | 'reg:pseudohubererror'
  | 'count:poisson'
  | 'multi:softprob'
  | 'multi:softmax';

/** Options of `parseModel` / `loadModelFile`. */
export interface ParseOptions {
  /** The margin and TreeSHAP kernels: WebAssembly (default, several times faster) or plain JavaScript. Same bits. */
  engine?: 'wasm' | 'js';
}

/** One input row for the convenient API: `null` (or NaN) means missing. */
export type Row = ReadonlyArray<number | null>;

/** What `predict` returns, shaped exactly like XGBoost's Python `predict` for that output kind. */
export type PredictionOutput = number[] | number[][] | number[][][];

export type OutputKind = 'prediction' | 'margin' | 'contribs';

/** Options of `predictContribsBatch`. */
export interface ContribsOptions {
  /**
   * Explain one output group per row instead of all: one group for every row, or one per row (e.g. each
   * row's predicted class). The output then holds one block of `numFeatures + 1` per row.
   */
  group?: number | Int32Array;
}

/**
 * A loaded XGBoost model, ready to score.
 *
 * Batch methods take a row-major Float32Array of `nRows * numFeatures` values (NaN = missing)
 * and write into a caller-provided output so the hot path allocates nothing per row.
 */
export interface Model {
  readonly objective: ObjectiveName;
  /** Number of input features the model was trained on. */
  readonly numFeatures: number;
  /** Output groups per row: 1, or the class count for multi:* objectives. */
  readonly numGroups: number;
  /** Number of classes (0 for non-classification objectives, 2 for binary ones). */
  readonly numClass: number;
  /** Values per row written by `predictBatch`: numGroups for multi:softprob, else 1. */
  readonly predictionWidth: number;
  readonly numTrees: number;
  /** Feature names stored in the model file, if XGBoost saved any. */
  readonly featureNames: readonly string[] | undefined;
  /** The XGBoost version that wrote the file, e.g. [1, 7, 4]. */
  readonly version: readonly [number, number, number];

  /** Raw margins (sum of leaves + base margin): `nRows * numGroups` values. */
  predictMarginBatch(x: Float32Array, nRows: number, out?: Float64Array): Float64Array;
  /** Transformed predictions: `nRows * predictionWidth` values. */
  predictBatch(x: Float32Array, nRows: number, out?: Float64Array): Float64Array;
  /**
   * TreeSHAP contributions: `nRows * numGroups * (numFeatures + 1)` values, bias last in each group, as
   * XGBoost's `pred_contribs` shapes them; with `options.group`, `nRows * (numFeatures + 1)` (that group only).
   *
   * @example model.predictContribsBatch(x, nRows, undefined, { group: predictedClasses })
   */
  predictContribsBatch(x: Float32Array, nRows: number, out?: Float64Array, options?: ContribsOptions): Float64Array;

  /** Convenience API over plain rows, shaped as XGBoost's Python `predict` returns it. */
  predict(rows: readonly Row[], output?: OutputKind): PredictionOutput;
}
