import { ByteWriter, T, ThriftWriter } from './byte-writer';

/** The lake file's schema and footer (FileMetaData, Thrift compact), for parquet-plain-encoder.ts. */

// Parquet enum values (parquet.thrift).
export const TYPE = { BOOLEAN: 0, INT32: 1, INT64: 2, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
const REP = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const;
const CONVERTED = { UTF8: 0, LIST: 3, TIMESTAMP_MILLIS: 9 } as const;
export const ENC = { PLAIN: 0, RLE: 3, RLE_DICTIONARY: 8 } as const;
export const PAGE = { DATA: 0, DICTIONARY: 2 } as const;

export interface Leaf {
  readonly path: readonly string[];
  readonly type: number;
  readonly maxDef: number;
  readonly maxRep: number;
  /** ColumnMetaData fields 1-4 (type, encodings, path, codec), encoded without and with a dictionary: fixed per leaf. */
  readonly metaHeads: readonly [Uint8Array, Uint8Array];
}

export interface Chunk {
  readonly leaf: Leaf;
  /** Where the column chunk starts: its dictionary page if any, else its data page. */
  readonly start: number;
  readonly dataOffset: number;
  readonly dictOffset: number | null;
  readonly size: number;
  readonly numValues: number;
}

/** What a feature-name list fixes in every file: its leaf columns and its encoded schema. */
interface Layout {
  readonly leaves: Leaf[];
  readonly schema: Uint8Array;
}

const layouts = new Map<string, Layout>();
let last: { names: readonly string[]; layout: Layout } | null = null;

/**
 * The layout of `names`, found by content: the sink's worker thread receives a fresh copy of the list with
 * every file, and a cache keyed by the array missed every time (the schema and every leaf's metadata head
 * were encoded again for each file).
 */
function layoutOf(names: readonly string[]): Layout {
  if (last?.names === names) return last.layout;
  const key = names.join('\u0000');
  let layout = layouts.get(key);
  if (!layout) {
    if (layouts.size >= 16) layouts.clear();
    layout = { leaves: makeLeaves(names), schema: schemaBytes(names) };
    layouts.set(key, layout);
  }
  last = { names, layout };
  return layout;
}

/** The leaf columns of the lake schema with `names` feature columns (the same objects for the same names). */
export function leaves(names: readonly string[]): Leaf[] {
  return layoutOf(names).leaves;
}

function makeLeaves(names: readonly string[]): Leaf[] {
  const leaf = (path: string[], type: number, maxDef = 0, maxRep = 0): Leaf =>
    ({ path, type, maxDef, maxRep, metaHeads: [metaHead(path, type, false), metaHead(path, type, true)] });
  return [
    leaf(['request_id'], TYPE.BYTE_ARRAY), leaf(['lead_id'], TYPE.BYTE_ARRAY, 1), leaf(['ts'], TYPE.INT64),
    leaf(['model_name'], TYPE.BYTE_ARRAY), leaf(['model_version'], TYPE.BYTE_ARRAY), leaf(['score'], TYPE.INT32),
    leaf(['probabilities', 'list', 'element'], TYPE.DOUBLE, 2, 1), leaf(['probability'], TYPE.DOUBLE, 1),
    leaf(['latency_ms'], TYPE.DOUBLE), leaf(['degraded'], TYPE.BOOLEAN),
    ...names.map((name) => leaf([name], TYPE.FLOAT, 1)),
  ];
}

/**
 * The schema field (FileMetaData field 2) as encoded right after field 1, once per feature-name list: every
 * footer repeats it, and its 60-odd strings cost more to encode than the rest of the footer.
 */
function schemaBytes(names: readonly string[]): Uint8Array {
  const w = new ByteWriter(4096);
  const t = new ThriftWriter(w);
  t.begin();
  t.i32(1, 0); // the same state as the footer's: field 1 written
  const start = w.pos;
  encodeSchema(t, names);
  return Uint8Array.from(w.buf.subarray(start, w.pos));
}

function encodeSchema(t: ThriftWriter, names: readonly string[]): void {
  const el = (name: string, o: { type?: number; rep?: number; children?: number; converted?: number }): void => {
    t.begin();
    if (o.type !== undefined) t.i32(1, o.type);
    if (o.rep !== undefined) t.i32(3, o.rep);
    t.string(4, name);
    if (o.children !== undefined) t.i32(5, o.children);
    if (o.converted !== undefined) t.i32(6, o.converted);
    t.end();
  };
  t.list(2, T.STRUCT, 13 + names.length);
  el('root', { children: 10 + names.length });
  el('request_id', { type: TYPE.BYTE_ARRAY, rep: REP.REQUIRED, converted: CONVERTED.UTF8 });
  el('lead_id', { type: TYPE.BYTE_ARRAY, rep: REP.OPTIONAL, converted: CONVERTED.UTF8 });
  el('ts', { type: TYPE.INT64, rep: REP.REQUIRED, converted: CONVERTED.TIMESTAMP_MILLIS });
  el('model_name', { type: TYPE.BYTE_ARRAY, rep: REP.REQUIRED, converted: CONVERTED.UTF8 });
  el('model_version', { type: TYPE.BYTE_ARRAY, rep: REP.REQUIRED, converted: CONVERTED.UTF8 });
  el('score', { type: TYPE.INT32, rep: REP.REQUIRED });
  el('probabilities', { rep: REP.OPTIONAL, children: 1, converted: CONVERTED.LIST });
  el('list', { rep: REP.REPEATED, children: 1 });
  el('element', { type: TYPE.DOUBLE, rep: REP.REQUIRED });
  el('probability', { type: TYPE.DOUBLE, rep: REP.OPTIONAL });
  el('latency_ms', { type: TYPE.DOUBLE, rep: REP.REQUIRED });
  el('degraded', { type: TYPE.BOOLEAN, rep: REP.REQUIRED });
  for (const name of names) el(name, { type: TYPE.FLOAT, rep: REP.OPTIONAL });
}

/** The column chunks of one row group and its row count. */
export interface RowGroup {
  readonly rows: number;
  readonly chunks: readonly Chunk[];
}

/** ColumnMetaData fields 1-4 of a leaf: type, encodings (with RLE_DICTIONARY when `dict`), path, codec. */
function metaHead(path: readonly string[], type: number, dict: boolean): Uint8Array {
  const w = new ByteWriter(128);
  const t = new ThriftWriter(w);
  t.begin();
  t.i32(1, type);
  t.list(2, T.I32, dict ? 3 : 2);
  t.elemI32(ENC.PLAIN);
  t.elemI32(ENC.RLE);
  if (dict) t.elemI32(ENC.RLE_DICTIONARY);
  t.list(3, T.BINARY, path.length);
  for (const part of path) t.elemString(part);
  t.i32(4, 0); // UNCOMPRESSED
  return Uint8Array.from(w.view());
}

function writeColumnChunk(t: ThriftWriter, c: Chunk): void {
  t.begin();
  t.i64(2, c.start);
  t.begin(3);
  t.raw(c.leaf.metaHeads[c.dictOffset === null ? 0 : 1], 4);
  t.i64(5, c.numValues);
  t.i64(6, c.size);
  t.i64(7, c.size);
  t.i64(9, c.dataOffset);
  if (c.dictOffset !== null) t.i64(11, c.dictOffset);
  t.end();
  t.end();
}

/** FileMetaData (schema, row groups, writer id), its length and the closing magic. */
export function writeFooter(w: ByteWriter, totalRows: number, names: readonly string[], groups: readonly RowGroup[], writerId: string): void {
  const t = new ThriftWriter(w);
  const metaStart = w.pos;
  t.begin();
  t.i32(1, 2);
  t.raw(layoutOf(names).schema, 2);
  t.i64(3, totalRows);
  t.list(4, T.STRUCT, groups.length);
  for (const g of groups) {
    t.begin();
    t.list(1, T.STRUCT, g.chunks.length);
    let total = 0;
    for (const c of g.chunks) {
      total += c.size;
      writeColumnChunk(t, c);
    }
    t.i64(2, total);
    t.i64(3, g.rows);
    t.i64(5, g.chunks[0]?.start ?? 4);
    t.i64(6, total);
    t.end();
  }
  t.list(5, T.STRUCT, 1);
  t.begin();
  t.string(1, 'lead_scoring.writer');
  t.string(2, writerId);
  t.end();
  t.string(6, 'lead-scoring parquet-plain-encoder');
  t.end();
  w.u32(w.pos - metaStart);
  w.utf8('PAR1');
}
