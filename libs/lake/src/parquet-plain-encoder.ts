import { endianness } from 'node:os';
import { ByteWriter, ThriftWriter } from './byte-writer';
import type { FeatureColumns } from './feature-columns';
import { columnBody, scratch, type GroupRows, type Scratch } from './parquet-column-pages';
import type { PackedBatch } from './parquet-columns';
import { FileOut } from './parquet-file-out';
import { mapStringColumns, sliceRuns, stringRunsOf, type BatchStringRuns, type StringRuns } from './string-runs';
import { ENC, leaves, PAGE, writeFooter, type Chunk, type Leaf, type RowGroup } from './parquet-footer';

/**
 * Hand-written Parquet encoder for the fixed lake schema (see `lakeSchema`): PLAIN values (strings
 * dictionary-encoded when they repeat), uncompressed, row groups of 2,048 rows, one v1 data page per column chunk,
 * RLE/bit-packed definition and repetition levels, Thrift compact footer.
 * About 20x cheaper than the generic writer because it reads the packed typed arrays directly.
 */

const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * Rows per row group: a group's features are split into columns in one go (FeatureColumns' memory), and
 * its column chunks are built in the encoder's output buffer, so both stay in cache at 2,048 rows
 * (at 10,000 rows, 2 MB of features, encoding took twice the time per row).
 */
const ROW_GROUP_ROWS = 2048;

/** Rows `from .. to - 1`: views of the numeric columns, and the string runs of those rows. */
function rowRange(p: PackedBatch, strings: BatchStringRuns, from: number, to: number): GroupRows {
  const { width: w, probWidth: pw } = p;
  const whole = from === 0 && to === p.n;
  const slice = (r: StringRuns): StringRuns => (whole ? r : sliceRuns(r, from, to));
  return {
    n: to - from, width: w, probWidth: pw,
    strings: mapStringColumns(strings, slice),
    ts: p.ts.subarray(from, to), score: p.score.subarray(from, to), probs: p.probs.subarray(from * pw, to * pw),
    probLen: p.probLen.subarray(from, to), probability: p.probability.subarray(from, to), latency: p.latency.subarray(from, to),
    degraded: p.degraded.subarray(from, to), features: p.features.subarray(from * w, to * w),
  };
}

/** A page: its PageHeader (type, sizes, the type's own header in field `headerField`), then its body and tail. */
function writePage(
  out: FileOut, type: number, body: ByteWriter, tail: Uint8Array | null, headerField: number, header: (t: ThriftWriter) => void,
): void {
  const size = body.pos + (tail?.length ?? 0);
  const t = new ThriftWriter(out.w);
  t.begin();
  t.i32(1, type);
  t.i32(2, size); // uncompressed size
  t.i32(3, size); // compressed size
  t.begin(headerField);
  header(t);
  t.end();
  t.end();
  out.w.bytes(body.view());
  if (tail) out.append(tail);
}

/** One column chunk: its dictionary page when the column is dictionary-encoded, then its data page. */
function writeColumn(out: FileOut, s: Scratch, p: GroupRows, features: FeatureColumns, c: number, leaf: Leaf): Chunk {
  s.body.pos = 0;
  s.dictCount = -1;
  s.tail = null;
  const numValues = columnBody(s, p, features, c);
  const start = out.offset();
  let dictOffset: number | null = null;
  if (s.dictCount >= 0) {
    dictOffset = out.offset();
    writePage(out, PAGE.DICTIONARY, s.dict, null, 7, (t) => {
      t.i32(1, s.dictCount);
      t.i32(2, ENC.PLAIN);
    });
  }
  const dataOffset = out.offset();
  writePage(out, PAGE.DATA, s.body, s.tail, 5, (t) => {
    t.i32(1, numValues);
    t.i32(2, dictOffset === null ? ENC.PLAIN : ENC.RLE_DICTIONARY);
    t.i32(3, ENC.RLE);
    t.i32(4, ENC.RLE);
  });
  return { leaf, start, dataOffset, dictOffset, size: out.offset() - start, numValues };
}

/**
 * Encodes a packed batch as one Parquet file (bytes) with the lake schema of `names` feature columns.
 * With `out`, the file is written into it (from position 0) and the result is a view of its buffer,
 * valid until `out` is reused. With `emit` too, the file is streamed: after each row group, and then
 * the footer, its bytes go to `emit` as pieces (views, valid only during the call; the feature values
 * are not copied), and `out` starts over, so the encoder's memory (and the cache it evicts from the
 * serving thread) stays one row group, not one file; the result is then empty.
 *
 * @example
 * const bytes = encodeLakeParquet(packRecords(records, names.length), names, 'writer-1');
 */
export function encodeLakeParquet(
  p: PackedBatch, names: readonly string[], writerId: string, out?: ByteWriter, emit?: (pieces: readonly Uint8Array[]) => void,
): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error('parquet-plain-encoder needs a little-endian platform');
  if (names.length !== p.width) throw new Error(`expected ${p.width} feature names, got ${names.length}`);
  const s = scratch;
  s.size(Math.min(p.n, ROW_GROUP_ROWS));
  const w = out ?? new ByteWriter(4096 + p.n * (p.width * 4 + 128));
  w.pos = 0;
  const file = new FileOut(w, emit !== undefined);
  w.utf8('PAR1');
  const all = leaves(names);
  const strings = stringRunsOf(p);
  const groups: RowGroup[] = [];
  for (let from = 0; from < p.n || groups.length === 0; from += ROW_GROUP_ROWS) {
    const rows = rowRange(p, strings, from, Math.min(p.n, from + ROW_GROUP_ROWS));
    const chunks: Chunk[] = [];
    const f = rows.features;
    const features = s.features(p.width);
    features.load(new Int32Array(f.buffer, f.byteOffset, f.length), rows.n);
    for (let c = 0; c < all.length; c++) chunks.push(writeColumn(file, s, rows, features, c, all[c]!));
    groups.push({ rows: rows.n, chunks });
    emit?.(file.flush());
  }
  writeFooter(w, p.n, names, groups, writerId);
  if (!emit) return w.view();
  emit(file.flush());
  return new Uint8Array(0);
}
