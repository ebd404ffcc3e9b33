import { EvaluatorError, EvaluatorErrorCode } from './errors';
import { buildForest } from './forest';
import type { MarginEngine } from './margin-engine';
import { createMarginEngine } from './margin-kernel';
import type { ModelSpec } from './model-spec';
import { baseMargins, transformRow } from './objectives';
import { rowsToFloat32 } from './rows';
import { TreeShap } from './tree-shap';
import type { ContribsOptions, Model, ObjectiveName, OutputKind, ParseOptions, PredictionOutput, Row } from './types';

/** The evaluator's {@link Model}: packed trees for margins, TreeSHAP tables built lazily on first use. */
export class CompiledModel implements Model {
  readonly objective: ObjectiveName;
  readonly numFeatures: number;
  readonly numGroups: number;
  readonly numClass: number;
  readonly predictionWidth: number;
  readonly numTrees: number;
  readonly featureNames: readonly string[] | undefined;
  readonly version: readonly [number, number, number];
  /** ProbToMargin(base_score) of each output group. */
  private readonly base: Float64Array;
  private readonly kernel: MarginEngine;
  private shap: TreeShap | undefined;
  private readonly engine: 'wasm' | 'js';
  private scratch = new Float64Array(0);

  constructor(
    private readonly spec: ModelSpec,
    options: ParseOptions = {},
  ) {
    this.objective = spec.objective;
    this.numFeatures = spec.numFeatures;
    this.numGroups = spec.numGroups;
    this.numClass = spec.numClass;
    this.predictionWidth = spec.objective === 'multi:softprob' ? spec.numGroups : 1;
    this.numTrees = spec.trees.length;
    this.featureNames = spec.featureNames;
    this.version = spec.version;
    this.base = baseMargins(spec.objective, spec.baseScores);
    this.engine = options.engine ?? 'wasm';
    this.kernel = createMarginEngine(buildForest(spec), this.base, this.engine);
  }

  predictMarginBatch(x: Float32Array, nRows: number, out?: Float64Array): Float64Array {
    const result = this.output(out, nRows * this.numGroups, x, nRows);
    this.kernel.run(x, nRows, result);
    return result;
  }

  predictBatch(x: Float32Array, nRows: number, out?: Float64Array): Float64Array {
    const result = this.output(out, nRows * this.predictionWidth, x, nRows);
    const G = this.numGroups;
    const W = this.predictionWidth;
    if (
      W === G &&
      this.objective !== 'multi:softprob' &&
      this.objective !== 'binary:logistic' &&
      this.objective !== 'reg:logistic' &&
      this.objective !== 'count:poisson'
    ) {
      this.kernel.run(x, nRows, result);
      return result;
    }
    if (this.scratch.length < nRows * G) this.scratch = new Float64Array(nRows * G);
    const margins = this.scratch;
    this.kernel.run(x, nRows, margins);
    for (let r = 0; r < nRows; r++) transformRow(this.objective, margins, r * G, G, result, r * W);
    return result;
  }

  predictContribsBatch(
    x: Float32Array,
    nRows: number,
    out?: Float64Array,
    options: ContribsOptions = {},
  ): Float64Array {
    const { group } = options;
    const width = (group === undefined ? this.numGroups : 1) * (this.numFeatures + 1);
    const result = this.output(out, nRows * width, x, nRows);
    this.shap ??= new TreeShap(this.spec, this.base, this.engine);
    this.shap.explain(x, nRows, result, group);
    return result;
  }

  predict(rows: readonly Row[], output: OutputKind = 'prediction'): PredictionOutput {
    const x = rowsToFloat32(rows, this.numFeatures);
    const n = rows.length;
    const G = this.numGroups;
    switch (output) {
      case 'margin':
        return reshape(this.predictMarginBatch(x, n), n, G > 1 ? [G] : []);
      case 'contribs':
        return reshape(this.predictContribsBatch(x, n), n, G > 1 ? [G, this.numFeatures + 1] : [this.numFeatures + 1]);
      case 'prediction':
        return reshape(this.predictBatch(x, n), n, this.predictionWidth > 1 ? [this.predictionWidth] : []);
      default:
        throw new EvaluatorError(EvaluatorErrorCode.INPUT_SHAPE, `unknown output kind "${String(output)}"`);
    }
  }

  private output(out: Float64Array | undefined, size: number, x: Float32Array, nRows: number): Float64Array {
    if (!Number.isInteger(nRows) || nRows < 0 || x.length < nRows * this.numFeatures) {
      throw new EvaluatorError(
        EvaluatorErrorCode.INPUT_SHAPE,
        `expected ${nRows} rows of ${this.numFeatures} features (${nRows * this.numFeatures} values), got ${x.length}`,
      );
    }
    if (out === undefined) return new Float64Array(size);
    if (out.length < size) {
      throw new EvaluatorError(
        EvaluatorErrorCode.INPUT_SHAPE,
        `output buffer holds ${out.length} values, needs ${size}`,
      );
    }
    return out;
  }
}

/** Splits a flat buffer into nested arrays of shape [n, ...inner], as numpy's tolist() would. */
function reshape(flat: Float64Array, n: number, inner: number[]): PredictionOutput {
  if (inner.length === 0) return Array.from(flat.subarray(0, n));
  const [a, b] = inner as [number, number?];
  const rows: number[][] | number[][][] = [];
  for (let r = 0; r < n; r++) {
    if (b === undefined) {
      (rows as number[][]).push(Array.from(flat.subarray(r * a, (r + 1) * a)));
    } else {
      const groups: number[][] = [];
      for (let g = 0; g < a; g++) groups.push(Array.from(flat.subarray((r * a + g) * b, (r * a + g + 1) * b)));
      (rows as number[][][]).push(groups);
    }
  }
  return rows;
}
