import type { Model } from '@lead-scoring/xgboost-evaluator';
import type { SampleTable } from './sample-table';

const CHUNK_ROWS = 8192;

/**
 * The model's predictions on every sample row: `rows * model.predictionWidth` values, row-major. Rows are
 * fed in chunks so the float32 copy of the sample stays small.
 *
 * @example const p = predictSample(model, sample); p[0] // row 0's probability (binary:logistic)
 */
export function predictSample(model: Model, sample: SampleTable): Float64Array {
  const width = model.predictionWidth;
  const cols = sample.columns.length;
  const out = new Float64Array(sample.rows * width);
  const x = new Float32Array(Math.min(CHUNK_ROWS, sample.rows) * cols);
  for (let start = 0; start < sample.rows; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, sample.rows - start);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < cols; j++) x[i * cols + j] = sample.columns[j]![start + i]!;
    }
    out.set(model.predictBatch(x.subarray(0, n * cols), n), start * width);
  }
  return out;
}
