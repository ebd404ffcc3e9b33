import { ByteWriter } from './byte-writer';
import { FeatureColumns } from './feature-columns';
import type { PackedBatch } from './parquet-columns';
import { encodeDictionary } from './parquet-dictionary';
import type { BatchStringRuns, StringRuns } from './string-runs';

/**
 * Page bodies of the lake schema's columns (see `lakeSchema`), for parquet-plain-encoder.ts: PLAIN values
 * (strings dictionary-encoded when they repeat), RLE/bit-packed definition and repetition levels. A
 * feature column's values are not copied into the body: they end the page from FeatureColumns' memory.
 */

/** Scratch arrays of the encoder, grown as needed and kept: an encode call allocates nothing when warm. */
export class Scratch {
  levels = new Uint8Array(0);
  reps = new Uint8Array(0);
  f64 = new Float64Array(0);
  u32 = new Uint32Array(0);
  readonly body = new ByteWriter(1 << 16);
  /** Dictionary page body of the current column, and its value count (-1: the column is PLAIN). */
  readonly dict = new ByteWriter(1 << 12);
  dictCount = -1;
  /** Bytes that end the current data page after `body`, appended in place (a feature column's values). */
  tail: Uint8Array | null = null;
  private featureColumns: FeatureColumns | null = null;

  /** The feature-column splitter for rows of `width` features. */
  features(width: number): FeatureColumns {
    if (this.featureColumns?.width !== width) this.featureColumns = new FeatureColumns(width);
    return this.featureColumns;
  }

  /** Room for `n` levels/values (`n` = rows, or list elements for the probabilities). */
  size(n: number): void {
    if (this.levels.length < n) {
      const cap = Math.max(n, this.levels.length * 2);
      this.levels = new Uint8Array(cap);
      this.reps = new Uint8Array(cap);
      this.f64 = new Float64Array(cap);
      this.u32 = new Uint32Array(2 * cap);
    }
  }
}

/** Encoding is synchronous, so one scratch per thread serves every call. */
export const scratch = new Scratch();

/** RLE runs (the RLE/bit-packed hybrid with RLE runs only), 4-byte length prefix, values < 256. */
function writeLevels(w: ByteWriter, levels: Uint8Array, n: number): void {
  const start = w.beginLength();
  let i = 0;
  while (i < n) {
    const v = levels[i]!;
    let j = i + 1;
    while (j < n && levels[j] === v) j++;
    w.rleRun(j - i, v);
    i = j;
  }
  w.endLength(start);
}

/** Definition levels of a nullable string column from its runs: RLE runs of 0 (null) and 1, 4-byte length prefix. */
function writeNullLevels(w: ByteWriter, runs: StringRuns): void {
  const start = w.beginLength();
  const { values, counts } = runs;
  for (let k = 0; k < values.length; ) {
    const level = values[k] === null ? 0 : 1;
    let rows = 0;
    for (; k < values.length && (values[k] === null ? 0 : 1) === level; k++) rows += counts[k]!;
    w.rleRun(rows, level);
  }
  w.endLength(start);
}

/** Page body of a string column from its runs; `nullable` adds definition levels (null = missing). */
function stringBody(s: Scratch, runs: StringRuns, nullable: boolean): void {
  const b = s.body;
  if (nullable) writeNullLevels(b, runs);
  s.dict.pos = 0;
  s.dictCount = encodeDictionary(runs, s.dict, b);
  if (s.dictCount >= 0) return;
  // PLAIN: a run of the same string (model name/version, one request's id) is encoded once, then copied.
  const { values, counts } = runs;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v === null || v === undefined) continue;
    const at = b.pos;
    b.lengthPrefixed(v);
    b.repeatLast(at, counts[k]! - 1);
  }
}

/**
 * Present values of a float64 column (NaN = null) compacted into `out`, with a 1-bit definition level per
 * row packed into `bits`; returns the present count.
 */
function compact64(src: Float64Array, n: number, out: Float64Array, bits: Uint8Array): number {
  let k = 0;
  let byte = 0;
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    const d = v === v ? 1 : 0;
    out[k] = v;
    k += d;
    byte |= d << (i & 7);
    if ((i & 7) === 7) {
      bits[i >> 3] = byte;
      byte = 0;
    }
  }
  if (n & 7) bits[(n - 1) >> 3] = byte;
  return k;
}

/**
 * Definition levels of an optional column with `k` present values of `n` rows, their definition bits in
 * `bits`: a column without nulls gets a single RLE run of "present", otherwise the levels go out as one
 * bit-packed run (both forms of Parquet's RLE/bit-packed hybrid; missing values at random would make
 * RLE runs short). The present values follow them in the page.
 */
function optionalLevels(b: ByteWriter, n: number, k: number, bits: Uint8Array): void {
  const groups = (n + 7) >> 3;
  const lengthAt = b.beginLength();
  if (k === n) b.rleRun(n, 1);
  else {
    b.varint(groups * 2 + 1); // bit-packed run header: groups of 8 values, bit width 1
    b.bytes(bits.subarray(0, groups));
  }
  b.endLength(lengthAt);
}

/** Probabilities LIST<DOUBLE>: rep levels (1 = same row), def levels (0 null list, 2 element). */
function probabilitiesBody(s: Scratch, p: GroupRows): number {
  const { n, probWidth: pw } = p;
  let uniform = pw > 0;
  for (let i = 0; i < n && uniform; i++) uniform = p.probLen[i] === pw;
  if (uniform) return uniformProbabilitiesBody(s.body, p.probs, n, pw);
  let m = 0;
  for (let i = 0; i < n; i++) m += Math.max(1, p.probLen[i]!);
  s.size(m);
  const { levels, reps, f64: vals } = s;
  let e = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const len = p.probLen[i]!;
    if (len === 0) {
      reps[e] = 0; // a null list starts a row: the scratch holds levels of earlier batches
      levels[e++] = 0;
    }
    for (let j = 0; j < len; j++, e++) {
      reps[e] = j === 0 ? 0 : 1;
      levels[e] = 2;
      vals[k++] = p.probs[i * pw + j]!;
    }
  }
  writeLevels(s.body, reps, m);
  writeLevels(s.body, levels, m);
  s.body.typed(vals, k * 8);
  return m;
}

/**
 * Every row has all `pw` class probabilities (a multi-class model's rows): the values are the packed
 * array as it is, the definition levels one RLE run of 2, and the repetition levels (0 then pw - 1 ones,
 * per row) one bit-packed run of a pattern that repeats every `pw` bytes.
 */
function uniformProbabilitiesBody(b: ByteWriter, probs: Float64Array, n: number, pw: number): number {
  const m = n * pw;
  const groups = (m + 7) >> 3;
  const repsAt = b.beginLength();
  b.varint(groups * 2 + 1); // bit-packed run header: groups of 8 levels, bit width 1
  b.ensure(groups);
  const first = b.pos;
  const period = Math.min(groups, pw); // pw bytes hold 8 * pw levels: a whole number of rows
  for (let byte = 0; byte < period; byte++) {
    let v = 0;
    for (let bit = 0; bit < 8; bit++) if ((byte * 8 + bit) % pw !== 0) v |= 1 << bit;
    b.buf[b.pos++] = v;
  }
  b.repeatLast(first, Math.floor(groups / period) - 1);
  for (let byte = b.pos - first; byte < groups; byte++) b.buf[b.pos++] = b.buf[first + (byte % period)]!;
  b.endLength(repsAt);
  const defsAt = b.beginLength();
  b.rleRun(m, 2);
  b.endLength(defsAt);
  b.typed(probs, m * 8);
  return m;
}

/** A row group's numeric columns (views of the batch's) and its string columns as runs. */
export type GroupRows = Omit<PackedBatch, keyof BatchStringRuns> & { readonly strings: BatchStringRuns };

/** Writes the page body of column `c` into `s.body`; returns its num_values (level count). */
export function columnBody(s: Scratch, p: GroupRows, features: FeatureColumns, c: number): number {
  const n = p.n;
  const b = s.body;
  switch (c) {
    case 0: stringBody(s, p.strings.requestId, false); return n;
    case 1: stringBody(s, p.strings.leadId, true); return n;
    case 2: {
      for (let i = 0; i < n; i++) {
        const t = Math.trunc(p.ts[i]!);
        s.u32[2 * i] = t >>> 0;
        s.u32[2 * i + 1] = Math.floor(t / 4294967296) >>> 0;
      }
      b.typed(s.u32, n * 8);
      return n;
    }
    case 3: stringBody(s, p.strings.modelName, false); return n;
    case 4: stringBody(s, p.strings.modelVersion, false); return n;
    case 5: b.typed(p.score, n * 4); return n;
    case 6: return probabilitiesBody(s, p);
    case 7: {
      const k = compact64(p.probability, n, s.f64, s.levels);
      optionalLevels(b, n, k, s.levels);
      b.typed(s.f64, k * 8);
      return n;
    }
    case 8: b.typed(p.latency, n * 8); return n;
    case 9: {
      const bits = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) if (p.degraded[i] === 1) bits[i >> 3]! |= 1 << (i & 7);
      b.bytes(bits);
      return n;
    }
    default: {
      const f = c - 10;
      const values = features.values(f);
      optionalLevels(b, n, values.length, features.bits(f));
      s.tail = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      return n;
    }
  }
}

