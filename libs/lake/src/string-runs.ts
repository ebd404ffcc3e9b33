import { decodeByteRuns, encodeStringRuns, type ByteRuns } from './byte-runs';

/**
 * A string column of a batch as runs of equal values: run i is `counts[i]` rows of `values[i]` (null =
 * missing). The lake's string columns are mostly long runs (one request id per request, one model name
 * and version per batch, lead ids often all absent), so the encoder works run by run, not row by row.
 */
export interface StringRuns {
  readonly values: readonly (string | null)[];
  readonly counts: ArrayLike<number>;
}

/** The four string columns of a batch, each as a `T` (a type alias, so that it fits a PropertyDescriptorMap). */
export type StringColumns<T> = {
  readonly requestId: T;
  readonly leadId: T;
  readonly modelName: T;
  readonly modelVersion: T;
};

/** `f` of each string column. */
export function mapStringColumns<A, B>(c: StringColumns<A>, f: (column: A) => B): StringColumns<B> {
  return { requestId: f(c.requestId), leadId: f(c.leadId), modelName: f(c.modelName), modelVersion: f(c.modelVersion) };
}

/** The four string columns of a batch, as runs. */
export type BatchStringRuns = StringColumns<StringRuns>;

/** Runs of `col[0 .. n)` (undefined counts as null). */
export function runsOf(col: readonly (string | null | undefined)[], n: number): StringRuns {
  const values: (string | null)[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = col[i] ?? null;
    if (values.length > 0 && values[values.length - 1] === v) counts[counts.length - 1]!++;
    else {
      values.push(v);
      counts.push(1);
    }
  }
  return { values, counts };
}

/** The runs of rows `from .. to - 1` of `r`. */
export function sliceRuns(r: StringRuns, from: number, to: number): StringRuns {
  const values: (string | null)[] = [];
  const counts: number[] = [];
  for (let k = 0, start = 0; k < r.values.length && start < to; k++) {
    const end = start + r.counts[k]!;
    const rows = Math.min(end, to) - Math.max(start, from);
    if (rows > 0) {
      values.push(r.values[k]!);
      counts.push(rows);
    }
    start = end;
  }
  return { values, counts };
}

/** A batch's string columns as per-row arrays. */
type StringArrays = { readonly requestId: string[]; readonly leadId: (string | null)[]; readonly modelName: string[]; readonly modelVersion: string[] };

/** The runs of each string column of a batch's arrays. */
function batchRunsOf(p: { readonly n: number } & StringColumns<readonly (string | null)[]>): BatchStringRuns {
  return mapStringColumns(p, (col) => runsOf(col, p.n));
}

/** Runs that came with a batch (from the worker wire form), so that the encoder need not rebuild them from arrays. */
const attached = new WeakMap<object, BatchStringRuns>();

/** The string columns of a packed batch as runs: those attached to it, or made from its arrays. */
export function stringRunsOf(p: Parameters<typeof batchRunsOf>[0]): BatchStringRuns {
  return attached.get(p) ?? batchRunsOf(p);
}

/** The four string columns of a batch, as byte runs. */
export type BatchByteRuns = StringColumns<ByteRuns>;

/** Byte runs that came with a batch (a lake chunk's), so that the wire form needs no string work on the event loop. */
const attachedBytes = new WeakMap<object, BatchByteRuns>();

/** The string columns of a packed batch as byte runs: those attached to it, or encoded from its string runs. */
export function byteRunsOf(p: Parameters<typeof batchRunsOf>[0]): BatchByteRuns {
  return attachedBytes.get(p) ?? mapStringColumns(stringRunsOf(p), encodeStringRuns);
}

/** Runs whose values are decoded from `b` only if read. */
function lazyRuns(b: ByteRuns): StringRuns {
  let values: readonly (string | null)[] | undefined;
  return { get values() { return (values ??= decodeByteRuns(b).values); }, counts: b.runs };
}

/** {@link packedWithRuns} for string columns held as byte runs; strings are decoded only where read (retries, records). */
export function packedWithByteRuns<T extends { readonly n: number }>(columns: T, bytes: BatchByteRuns): ReturnType<typeof packedWithRuns<T>> {
  const p = packedWithRuns(columns, mapStringColumns(bytes, lazyRuns));
  attachedBytes.set(p, bytes);
  return p;
}

/** Row by row values of `r` (`n` rows). */
function expandRuns(r: StringRuns, n: number): (string | null)[] {
  const out = new Array<string | null>(n);
  for (let k = 0, row = 0; k < r.values.length; k++) for (let c = r.counts[k]!; c > 0; c--) out[row++] = r.values[k]!;
  return out;
}

/**
 * A packed batch of the given numeric columns whose string columns are `runs`: attached for the encoder and
 * the wire form, and readable as per-row arrays (expanded on first read).
 */
export function packedWithRuns<T extends { readonly n: number }>(
  columns: T, runs: BatchStringRuns,
): T & StringArrays {
  const lazy = (r: StringRuns): PropertyDescriptor => {
    let rows: (string | null)[] | undefined;
    return { enumerable: true, get: () => (rows ??= expandRuns(r, columns.n)) };
  };
  const p = Object.defineProperties({ ...columns }, mapStringColumns(runs, lazy));
  attached.set(p, runs);
  return p as T & StringArrays;
}
