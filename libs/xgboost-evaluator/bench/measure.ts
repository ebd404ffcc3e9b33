// Our side of the evaluator benchmark: load time, batch rows/s (one thread and the pool), single-row
// latency, contributions rows/s. Everything through the library's public door.
import { median } from '@lead-scoring/bench';
import { parseModel, type Model, type PredictionPool } from '@lead-scoring/xgboost-evaluator';

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** parseModel of the file's bytes, median of `runs` parses, in ms. */
export function measureLoad(bytes: Uint8Array, runs = 5): { model: Model; loadMs: number } {
  const times: number[] = [];
  let model: Model | undefined;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    model = parseModel(bytes);
    times.push(elapsedMs(start));
  }
  return { model: model!, loadMs: median(times) };
}

/** predictBatch over all rows at once: rows/s of the median of `runs` timed runs after three untimed ones. */
export function measureBatch(options: { model: Model; x: Float32Array; nRows: number; runs?: number }): {
  rowsPerSecond: number;
  predictions: Float64Array;
} {
  const { model, x, nRows, runs = 9 } = options;
  const out = new Float64Array(nRows * model.predictionWidth);
  for (let i = 0; i < 3; i++) model.predictBatch(x, nRows, out);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    model.predictBatch(x, nRows, out);
    times.push(elapsedMs(start));
  }
  return { rowsPerSecond: nRows / (median(times) / 1e3), predictions: out };
}

/** The pool's predictBatch over all rows at once, timed as {@link measureBatch}. */
export async function measurePoolBatch(options: {
  pool: PredictionPool;
  x: Float32Array;
  nRows: number;
  runs?: number;
}): Promise<number> {
  const { pool, x, nRows, runs = 9 } = options;
  for (let i = 0; i < 3; i++) await pool.predictBatch(x, nRows);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await pool.predictBatch(x, nRows);
    times.push(elapsedMs(start));
  }
  return nRows / (median(times) / 1e3);
}

/** Latency of predictBatch on one row (views made up front, one reused out buffer), in µs. */
export function measureSingleRow(options: { model: Model; x: Float32Array; nRows: number; calls?: number }): {
  p50Us: number;
  p99Us: number;
} {
  const { model, x, nRows, calls = 20_000 } = options;
  const f = model.numFeatures;
  const views = Array.from({ length: nRows }, (_, i) => x.subarray(i * f, (i + 1) * f));
  const out = new Float64Array(model.predictionWidth);
  for (let i = 0; i < 5_000; i++) model.predictBatch(views[i % nRows]!, 1, out);
  const times = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const row = views[i % nRows]!;
    const start = process.hrtime.bigint();
    model.predictBatch(row, 1, out);
    times[i] = Number(process.hrtime.bigint() - start) / 1e3;
  }
  times.sort();
  return { p50Us: times[Math.floor(calls / 2)]!, p99Us: times[Math.floor(calls * 0.99)]! };
}

/**
 * predictContribsBatch over `nRows` rows: all groups, or one per row (`group`). Median of `runs` timed
 * runs after `warmup` untimed ones, in rows/s, with the last run's contributions.
 */
export function measureContribs(options: {
  model: Model;
  x: Float32Array;
  nRows: number;
  group?: Int32Array;
  runs?: number;
  warmup?: number;
}): { rowsPerSecond: number; contribs: Float64Array } {
  const { model, x, nRows, group, runs = 7, warmup = 2 } = options;
  const width = (group ? 1 : model.numGroups) * (model.numFeatures + 1);
  const out = new Float64Array(nRows * width);
  const opts = group ? { group } : {};
  for (let i = 0; i < warmup; i++) model.predictContribsBatch(x, nRows, out, opts);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    model.predictContribsBatch(x, nRows, out, opts);
    times.push(elapsedMs(start));
  }
  return { rowsPerSecond: nRows / (median(times) / 1e3), contribs: out };
}
