import { endianness } from 'node:os';
import { ByteWriter, ThriftWriter } from './byte-writer';
import type { PackedBatch } from './parquet-columns';
import { encodeDictionary } from './parquet-dictionary';
import { ENC, leaves, PAGE, writeFooter, type Chunk, type Leaf, type RowGroup } from './parquet-footer';

/**
 * Hand-written Parquet encoder for the fixed lake schema (see `lakeSchema`): PLAIN values (strings
 * dictionary-encoded when they repeat), uncompressed, row groups of 2,048 rows, one v1 data page per column chunk,
 * RLE/bit-packed definition and repetition levels, Thrift compact footer.
 * About 20x cheaper than the generic writer because it reads the packed typed arrays directly.
 */

const LITTLE_ENDIAN = endianness() === 'LE';

/** Scratch arrays of the encoder, grown as needed and kept: an encode call allocates nothing when warm. */
class Scratch {
  levels = new Uint8Array(0);
  reps = new Uint8Array(0);
  f32 = new Float32Array(0);
  f64 = new Float64Array(0);
  u32 = new Uint32Array(0);
  readonly body = new ByteWriter(1 << 16);
  /** Dictionary page body of the current column, and its value count (-1: the column is PLAIN). */
  readonly dict = new ByteWriter(1 << 12);
  dictCount = -1;

  /** Room for `n` levels/values (`n` = rows, or list elements for the probabilities). */
  size(n: number): void {
    if (this.levels.length < n) {
      const cap = Math.max(n, this.levels.length * 2);
      this.levels = new Uint8Array(cap);
      this.reps = new Uint8Array(cap);
      this.f32 = new Float32Array(cap);
      this.f64 = new Float64Array(cap);
      this.u32 = new Uint32Array(2 * cap);
    }
  }
}

/** Encoding is synchronous, so one scratch per thread serves every call. */
const scratch = new Scratch();

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

/** Page body of a string column; `nullable` adds definition levels (null = missing). */
function stringBody(s: Scratch, col: readonly (string | null)[], n: number, nullable: boolean): void {
  const b = s.body;
  if (nullable) {
    for (let i = 0; i < n; i++) s.levels[i] = col[i] === null || col[i] === undefined ? 0 : 1;
    writeLevels(b, s.levels, n);
  }
  s.dict.pos = 0;
  s.dictCount = encodeDictionary(col, n, s.dict, b);
  if (s.dictCount >= 0) return;
  // PLAIN: a run of the same string (model name/version, one request's id) is encoded once, then copied.
  for (let i = 0; i < n; ) {
    const v = col[i];
    let j = i + 1;
    while (j < n && col[j] === v) j++;
    if (v !== null && v !== undefined) {
      const at = b.pos;
      b.lengthPrefixed(v);
      b.repeatLast(at, j - i - 1);
    }
    i = j;
  }
}

/**
 * Page body of an optional FLOAT/DOUBLE column read with a stride (NaN = null), in one branch-free pass:
 * present values are compacted into scratch while a 1-bit definition level per row is packed. A column
 * without nulls then gets a single RLE run of "present"; otherwise the levels go out as one bit-packed
 * run (both are forms of Parquet's RLE/bit-packed hybrid; missing values at random would make RLE runs short).
 */
function floatBody(s: Scratch, src: Float32Array | Float64Array, n: number, start: number, stride: number, double: boolean): void {
  const b = s.body;
  const out = double ? s.f64 : s.f32;
  const bits = s.levels;
  let k = 0;
  let byte = 0;
  for (let i = 0, p = start; i < n; i++, p += stride) {
    const v = src[p]!;
    const d = v === v ? 1 : 0;
    out[k] = v;
    k += d;
    byte |= d << (i & 7);
    if ((i & 7) === 7) {
      bits[i >> 3] = byte;
      byte = 0;
    }
  }
  const groups = (n + 7) >> 3;
  if (n & 7) bits[groups - 1] = byte;
  const lengthAt = b.beginLength();
  if (k === n) b.rleRun(n, 1);
  else {
    b.varint(groups * 2 + 1); // bit-packed run header: groups of 8 values, bit width 1
    b.bytes(bits.subarray(0, groups));
  }
  b.endLength(lengthAt);
  b.typed(out, k * (double ? 8 : 4));
}

/** Probabilities LIST<DOUBLE>: rep levels (1 = same row), def levels (0 null list, 2 element). */
function probabilitiesBody(s: Scratch, p: PackedBatch): number {
  let m = 0;
  for (let i = 0; i < p.n; i++) m += Math.max(1, p.probLen[i]!);
  s.size(m);
  const { levels, reps, f64: vals } = s;
  let e = 0;
  let k = 0;
  for (let i = 0; i < p.n; i++) {
    const len = p.probLen[i]!;
    if (len === 0) levels[e++] = 0;
    for (let j = 0; j < len; j++, e++) {
      reps[e] = j === 0 ? 0 : 1;
      levels[e] = 2;
      vals[k++] = p.probs[i * p.probWidth + j]!;
    }
  }
  writeLevels(s.body, reps, m);
  writeLevels(s.body, levels, m);
  s.body.typed(vals, k * 8);
  return m;
}

/** Writes the page body of column `c` into `s.body`; returns its num_values (level count). */
function columnBody(s: Scratch, p: PackedBatch, c: number): number {
  const n = p.n;
  const b = s.body;
  switch (c) {
    case 0: stringBody(s, p.requestId, n, false); return n;
    case 1: stringBody(s, p.leadId, n, true); return n;
    case 2: {
      for (let i = 0; i < n; i++) {
        const t = Math.trunc(p.ts[i]!);
        s.u32[2 * i] = t >>> 0;
        s.u32[2 * i + 1] = Math.floor(t / 4294967296) >>> 0;
      }
      b.typed(s.u32, n * 8);
      return n;
    }
    case 3: stringBody(s, p.modelName, n, false); return n;
    case 4: stringBody(s, p.modelVersion, n, false); return n;
    case 5: b.typed(p.score, n * 4); return n;
    case 6: return probabilitiesBody(s, p);
    case 7: floatBody(s, p.probability, n, 0, 1, true); return n;
    case 8: b.typed(p.latency, n * 8); return n;
    case 9: {
      const bits = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) if (p.degraded[i] === 1) bits[i >> 3]! |= 1 << (i & 7);
      b.bytes(bits);
      return n;
    }
    default: floatBody(s, p.features, n, c - 10, p.width, false); return n;
  }
}

/**
 * Rows per row group: each feature column is gathered with a stride of one row, so a group's rows must
 * stay in cache; at 10,000 rows (2 MB of features) encoding took 0.75 µs per row, at 2,048 0.35.
 */
const ROW_GROUP_ROWS = 2048;

/** Rows `from .. to - 1` as a batch of views (typed arrays) and slices (strings). */
function rowRange(p: PackedBatch, from: number, to: number): PackedBatch {
  if (from === 0 && to === p.n) return p;
  const { width: w, probWidth: pw } = p;
  return {
    n: to - from, width: w, probWidth: pw,
    requestId: p.requestId.slice(from, to), leadId: p.leadId.slice(from, to),
    modelName: p.modelName.slice(from, to), modelVersion: p.modelVersion.slice(from, to),
    ts: p.ts.subarray(from, to), score: p.score.subarray(from, to), probs: p.probs.subarray(from * pw, to * pw),
    probLen: p.probLen.subarray(from, to), probability: p.probability.subarray(from, to), latency: p.latency.subarray(from, to),
    degraded: p.degraded.subarray(from, to), features: p.features.subarray(from * w, to * w),
  };
}

/** A page: its PageHeader (type, sizes, the type's own header in field `headerField`), then its body. */
function writePage(w: ByteWriter, type: number, body: ByteWriter, headerField: number, header: (t: ThriftWriter) => void): void {
  const t = new ThriftWriter(w);
  t.begin();
  t.i32(1, type);
  t.i32(2, body.pos); // uncompressed size
  t.i32(3, body.pos); // compressed size
  t.begin(headerField);
  header(t);
  t.end();
  t.end();
  w.bytes(body.view());
}

/** One column chunk: its dictionary page when the column is dictionary-encoded, then its data page. */
function writeColumn(w: ByteWriter, s: Scratch, p: PackedBatch, c: number, leaf: Leaf): Chunk {
  s.body.pos = 0;
  s.dictCount = -1;
  const numValues = columnBody(s, p, c);
  const start = w.pos;
  let dictOffset: number | null = null;
  if (s.dictCount >= 0) {
    dictOffset = w.pos;
    writePage(w, PAGE.DICTIONARY, s.dict, 7, (t) => {
      t.i32(1, s.dictCount);
      t.i32(2, ENC.PLAIN);
    });
  }
  const dataOffset = w.pos;
  writePage(w, PAGE.DATA, s.body, 5, (t) => {
    t.i32(1, numValues);
    t.i32(2, dictOffset === null ? ENC.PLAIN : ENC.RLE_DICTIONARY);
    t.i32(3, ENC.RLE);
    t.i32(4, ENC.RLE);
  });
  return { leaf, start, dataOffset, dictOffset, size: w.pos - start, numValues };
}

/**
 * Encodes a packed batch as one Parquet file (bytes) with the lake schema of `names` feature columns.
 * With `out`, the file is written into it (from position 0) and the result is a view of its buffer,
 * valid until `out` is reused.
 *
 * @example
 * const bytes = encodeLakeParquet(packRecords(records), FEATURE_NAMES, 'writer-1');
 */
export function encodeLakeParquet(p: PackedBatch, names: readonly string[], writerId: string, out?: ByteWriter): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error('parquet-plain-encoder needs a little-endian platform');
  if (names.length !== p.width) throw new Error(`expected ${p.width} feature names, got ${names.length}`);
  const s = scratch;
  s.size(p.n);
  const w = out ?? new ByteWriter(4096 + p.n * (p.width * 4 + 128));
  w.pos = 0;
  w.utf8('PAR1');
  const all = leaves(names);
  const groups: RowGroup[] = [];
  for (let from = 0; from < p.n || groups.length === 0; from += ROW_GROUP_ROWS) {
    const rows = rowRange(p, from, Math.min(p.n, from + ROW_GROUP_ROWS));
    const chunks: Chunk[] = [];
    for (let c = 0; c < all.length; c++) chunks.push(writeColumn(w, s, rows, c, all[c]!));
    groups.push({ rows: rows.n, chunks });
  }
  writeFooter(w, p.n, names, groups, writerId);
  return w.view();
}
