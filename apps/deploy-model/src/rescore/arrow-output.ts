import {
  Field,
  Float64,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  makeData,
  tableToIPC,
  type Data,
  type DataType,
} from 'apache-arrow';
import type { ScoredRows } from './chunk-scorer';
import type { LeadRows } from './lead-rows';
import type { OutputLayout } from './output-layout';

/**
 * The Arrow schema of a run's Parquet output, built once from its layout. Every chunk is written with this very
 * schema: parquet-wasm's transform stream waits forever on a batch of another schema instead of failing.
 *
 * @example outputSchema(layout).fields.map((f) => f.name) // layout.columns
 */
export function outputSchema(layout: OutputLayout): Schema {
  const field = (name: string, type: DataType): Field => new Field(name, type, true);
  const fields = [field(layout.idName, layout.rowNumbers ? new Int64() : new Utf8()), field('score', new Int32())];
  for (const name of layout.predictionNames) fields.push(field(name, new Float64()));
  fields.push(field('model_name', new Utf8()), field('model_version', new Utf8()));
  for (let i = 1; i <= layout.reasons; i++) {
    fields.push(
      field(`reason_${i}_feature`, new Utf8()),
      field(`reason_${i}_value`, new Float64()),
      field(`reason_${i}_contribution`, new Float64()),
    );
  }
  fields.push(field('warnings', new Utf8()));
  for (const name of layout.keepNames) fields.push(field(name, new Utf8()));
  return new Schema(fields);
}

const bitmap = (n: number): Uint8Array => new Uint8Array((n + 7) >> 3);

/** UTF-8 strings (null allowed) as one Arrow column: offsets, one byte buffer, validity when some are null. */
function utf8(n: number, at: (i: number) => string | null | undefined): Data<Utf8> {
  const offsets = new Int32Array(n + 1);
  const valid = bitmap(n);
  let total = 0;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const s = at(i);
    if (s === null || s === undefined) nulls++;
    else {
      total += Buffer.byteLength(s, 'utf8');
      valid[i >> 3]! |= 1 << (i & 7);
    }
    offsets[i + 1] = total;
  }
  const data = Buffer.allocUnsafe(total);
  for (let i = 0; i < n; i++) {
    const s = at(i);
    if (s !== null && s !== undefined) data.write(s, offsets[i]!, 'utf8');
  }
  return makeData({
    type: new Utf8(),
    length: n,
    nullCount: nulls,
    valueOffsets: offsets,
    data,
    ...(nulls > 0 ? { nullBitmap: valid } : {}),
  });
}

function float64(n: number, at: (i: number) => number | null | undefined): Data<Float64> {
  const values = new Float64Array(n);
  const valid = bitmap(n);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = at(i);
    if (v === null || v === undefined) nulls++;
    else {
      values[i] = v;
      valid[i >> 3]! |= 1 << (i & 7);
    }
  }
  return makeData({
    type: new Float64(),
    length: n,
    nullCount: nulls,
    data: values,
    ...(nulls > 0 ? { nullBitmap: valid } : {}),
  });
}

/**
 * One chunk's scored rows as Arrow IPC stream bytes of the run's schema, for the main thread's Parquet writer.
 *
 * @example encodeArrowRows(schema, layout, rows, scored, 0)
 */
export function encodeArrowRows(
  schema: Schema,
  layout: OutputLayout,
  rows: LeadRows,
  scored: ScoredRows,
  firstRow: number,
): Uint8Array {
  const { n, scores, predictions, width, reasons } = scored;
  const children: Data[] = [
    layout.rowNumbers
      ? makeData({
          type: new Int64(),
          length: n,
          data: BigInt64Array.from(rows.positions.slice(0, n), (p) => BigInt(firstRow + p)),
        })
      : utf8(n, (i) => rows.idText(i)),
    makeData({ type: new Int32(), length: n, data: Int32Array.from(scores.subarray(0, n)) }),
  ];
  for (let k = 0; k < layout.predictionNames.length; k++) children.push(float64(n, (i) => predictions[i * width + k]));
  children.push(
    utf8(n, () => layout.model.name),
    utf8(n, () => layout.model.version),
  );
  for (let c = 0; c < layout.reasons; c++) {
    const code = (i: number) => reasons?.[i]?.[c];
    children.push(
      utf8(n, (i) => code(i)?.feature),
      float64(n, (i) => code(i)?.value),
      float64(n, (i) => code(i)?.contribution),
    );
  }
  children.push(utf8(n, (i) => rows.warnings[i]));
  for (const column of rows.kept) children.push(utf8(n, (i) => column[i]));
  const data = makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children });
  return tableToIPC(new Table([new RecordBatch(schema, data)]), 'stream');
}

/**
 * A table of the run's schema with no row, as IPC bytes: the Parquet file of a run that scored nothing (an empty
 * input, or every row rejected) still gets its columns, and parquet-wasm needs a batch to write any file at all.
 *
 * @example sink.write(emptyArrowRows(layout))
 */
export function emptyArrowRows(layout: OutputLayout): Uint8Array {
  const schema = outputSchema(layout);
  const children = schema.fields.map((f) =>
    f.type instanceof Utf8
      ? makeData({ type: new Utf8(), length: 0, valueOffsets: new Int32Array(1), data: new Uint8Array(0) })
      : f.type instanceof Float64
        ? makeData({ type: new Float64(), length: 0, data: new Float64Array(0) })
        : f.type instanceof Int64
          ? makeData({ type: new Int64(), length: 0, data: new BigInt64Array(0) })
          : makeData({ type: new Int32(), length: 0, data: new Int32Array(0) }),
  );
  const data = makeData({ type: new Struct(schema.fields), length: 0, nullCount: 0, children: children as Data[] });
  return tableToIPC(new Table([new RecordBatch(schema, data)]), 'stream');
}
