import type { PackedBatch } from './parquet-columns';
import { packedWithRuns, stringRunsOf, type StringRuns } from './string-runs';

/**
 * A string column as runs of equal values: one joined string, each run's value length (-1 = null) and
 * row count. Cloned to a worker as a single copy; unpacked, a run's rows share one string object, so
 * the encoder's equality tests and dictionary lookups cost a pointer compare, not a 36-character one.
 */
export interface WireStrings {
  readonly text: string;
  readonly lengths: Int32Array;
  readonly runs: Uint32Array;
}

/** A packed batch as posted to the Parquet worker thread. */
export type WireBatch = Omit<PackedBatch, 'requestId' | 'leadId' | 'modelName' | 'modelVersion'> & {
  readonly requestId: WireStrings;
  readonly leadId: WireStrings;
  readonly modelName: WireStrings;
  readonly modelVersion: WireStrings;
};

function packStrings(runs: StringRuns): WireStrings {
  const { values, counts } = runs;
  const lengths = new Int32Array(values.length);
  const parts: string[] = [];
  for (let k = 0; k < values.length; k++) {
    const s = values[k] ?? null;
    lengths[k] = s === null ? -1 : s.length;
    if (s !== null) parts.push(s);
  }
  return { text: parts.join(''), lengths, runs: Uint32Array.from(counts) };
}

/** A wire string column as runs: one string per run (sliced from the joined text), no per-row array. */
function wireRuns(w: WireStrings): StringRuns {
  const values = new Array<string | null>(w.runs.length);
  for (let r = 0, at = 0; r < w.runs.length; r++) {
    const len = w.lengths[r]!;
    values[r] = len >= 0 ? w.text.slice(at, (at += len)) : null;
  }
  return { values, counts: w.runs };
}

/**
 * The batch in the form posted to a worker. Structured clone copies an array of strings element by
 * element (~0.3 µs per row for the four string columns); runs in one joined string are a single copy. Typed
 * arrays pass as they are: shared (SharedArrayBuffer, the lake writer's chunks) or cloned.
 */
export function toWire(p: PackedBatch): WireBatch {
  const runs = stringRunsOf(p);
  // Field by field, not a rest spread: that would read the lazy string arrays, expanding them.
  const { n, width, probWidth, ts, score, probs, probLen, probability, latency, degraded, features } = p;
  return {
    n, width, probWidth, ts, score, probs, probLen, probability, latency, degraded, features,
    requestId: packStrings(runs.requestId), leadId: packStrings(runs.leadId),
    modelName: packStrings(runs.modelName), modelVersion: packStrings(runs.modelVersion),
  };
}

/**
 * The packed batch a worker received (inverse of {@link toWire}). Its string arrays are expanded from the
 * runs only if read (the encoder reads the runs: `stringRunsOf`).
 */
export function fromWire(w: WireBatch): PackedBatch {
  const { requestId, leadId, modelName, modelVersion, ...columns } = w;
  return packedWithRuns(columns, {
    requestId: wireRuns(requestId), leadId: wireRuns(leadId), modelName: wireRuns(modelName), modelVersion: wireRuns(modelVersion),
  });
}

/**
 * Buffers to transfer with a wire batch: always the string lengths (made by toWire); the column arrays
 * only when `owned` (a copy made for the worker) and not shared.
 */
export function transferables(w: WireBatch, owned: boolean): ArrayBuffer[] {
  const lengths = [w.requestId, w.leadId, w.modelName, w.modelVersion].flatMap((c) => [c.lengths, c.runs]);
  const columns = owned ? [w.ts, w.score, w.probs, w.probLen, w.probability, w.latency, w.degraded, w.features] : [];
  const arrays: ArrayBufferView[] = [...lengths, ...columns];
  const out: ArrayBuffer[] = [];
  for (const a of arrays) {
    // Tag, not instanceof: buffers made in another realm (a test VM, a worker) are ArrayBuffers too.
    const shared = Object.prototype.toString.call(a.buffer) === '[object SharedArrayBuffer]';
    if (!shared && !out.includes(a.buffer as ArrayBuffer)) out.push(a.buffer as ArrayBuffer);
  }
  return out;
}
