import type { PackedBatch } from './parquet-columns';
import { decodeByteRuns } from './byte-runs';
import { byteRunsOf, mapStringColumns, packedWithRuns, type BatchByteRuns } from './string-runs';

/** A packed batch as posted to the Parquet worker thread: its string columns as byte runs (byte-runs.ts). */
export type WireBatch = Omit<PackedBatch, keyof BatchByteRuns> & BatchByteRuns;

/**
 * The batch in the form posted to a worker. Structured clone copies an array of strings element by
 * element (~0.3 µs per row for the four string columns); byte runs are three typed arrays per column, and a
 * lake chunk's come ready-made, so the event loop does no string work per flush. Typed arrays pass as they
 * are: shared (SharedArrayBuffer, the lake writer's chunks) or cloned. Unpacked, a run's rows share one
 * string, so the encoder's equality tests and dictionary lookups cost a pointer compare.
 */
export function toWire(p: PackedBatch): WireBatch {
  // Field by field, not a rest spread: that would read the lazy string arrays, expanding them.
  const { n, width, probWidth, ts, score, probs, probLen, probability, latency, degraded, features } = p;
  return {
    n, width, probWidth, ts, score, probs, probLen, probability, latency, degraded, features, ...byteRunsOf(p),
  };
}

/**
 * The packed batch a worker received (inverse of {@link toWire}). Its string arrays are expanded from the
 * runs only if read (the encoder reads the runs: `stringRunsOf`).
 */
export function fromWire(w: WireBatch): PackedBatch {
  const { requestId, leadId, modelName, modelVersion, ...columns } = w;
  return packedWithRuns(columns, mapStringColumns({ requestId, leadId, modelName, modelVersion }, decodeByteRuns));
}

/**
 * Buffers to transfer with a wire batch: the column arrays only when `owned` (a copy made for the worker) and
 * not shared. The byte runs are cloned, never transferred: they stay attached to the batch, whose strings a
 * failed write still reads (the undelivered records).
 */
export function transferables(w: WireBatch, owned: boolean): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = owned ? [w.ts, w.score, w.probs, w.probLen, w.probability, w.latency, w.degraded, w.features] : [];
  const out: ArrayBuffer[] = [];
  for (const a of arrays) {
    // Tag, not instanceof: buffers made in another realm (a test VM, a worker) are ArrayBuffers too.
    const shared = Object.prototype.toString.call(a.buffer) === '[object SharedArrayBuffer]';
    if (!shared && !out.includes(a.buffer as ArrayBuffer)) out.push(a.buffer as ArrayBuffer);
  }
  return out;
}
