import type { ScoredRows } from './chunk-scorer';
import { formatFloat32 } from './float32-text';
import type { LeadRows, RejectedRow } from './lead-rows';
import type { OutputLayout } from './output-layout';

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * A CSV field: as it is, or quoted (RFC 4180) when it holds a comma, a quote or a newline.
 *
 * @example csvField('a,b') // '"a,b"'
 */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The output's header line. */
export function csvHeader(layout: OutputLayout): string {
  return `${layout.columns.map(csvField).join(',')}\n`;
}

/**
 * Bytes written into one growing buffer: its memory is handed back by the main thread after each chunk, so
 * a run allocates a few such buffers rather than one per chunk (dead buffers outlive many minor collections).
 */
export class ByteWriter {
  private buf: Buffer;
  length = 0;

  constructor(buffer: ArrayBuffer) {
    this.buf = Buffer.from(buffer);
  }

  /** Appends a string as UTF-8. */
  write(text: string): void {
    this.reserve(text.length * 3);
    this.length += this.buf.write(text, this.length, 'utf8');
  }

  /** Appends a float32 value as its shortest decimal (see float32-text.ts). */
  float32(v: number): void {
    this.reserve(32);
    const end = formatFloat32(v, this.buf, this.length);
    if (end < 0) this.write(String(v));
    else this.length = end;
  }

  /** Appends one byte. */
  byte(b: number): void {
    if (this.length === this.buf.length) this.reserve(1);
    this.buf[this.length++] = b;
  }

  /** Appends bytes [start, end) of `from` (a short run: a loop beats a native call). */
  appendRange(from: Uint8Array, start: number, end: number): void {
    this.reserve(end - start);
    const buf = this.buf;
    let at = this.length;
    for (let i = start; i < end; i++) buf[at++] = from[i]!;
    this.length = at;
  }

  /** Appends bytes. */
  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  private reserve(most: number): void {
    if (this.length + most <= this.buf.length) return;
    const bigger = Buffer.from(new ArrayBuffer(Math.max(this.buf.length * 2, this.length + most)));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }

  /** The bytes written, over the writer's own ArrayBuffer (to be transferred). */
  bytes(): Uint8Array {
    return new Uint8Array(this.buf.buffer, 0, this.length);
  }
}

/**
 * Writes the CSV lines of one chunk's scored rows, in row order. Predictions print as the shortest decimal of
 * their float32 (XGBoost's own value, as numpy prints it); reason contributions in full double precision; a
 * missing reason value and a row without warnings are empty fields.
 *
 * @example encodeCsvRows(layout, rows, scored, 0, writer)
 */
export function encodeCsvRows(
  layout: OutputLayout,
  rows: LeadRows,
  scored: ScoredRows,
  firstRow: number,
  out: ByteWriter,
): void {
  const { n, scores, predictions, width, reasons } = scored;
  const model = `,${csvField(layout.model.name)},${csvField(layout.model.version)}`;
  const nReasons = layout.reasons;
  const source = rows.idSource;
  for (let r = 0; r < n; r++) {
    const start = rows.idStart.length > r ? rows.idStart[r]! : -1;
    if (layout.rowNumbers) out.write(String(firstRow + rows.positions[r]!));
    else if (start >= 0) out.appendRange(source!, start, rows.idEnd[r]!);
    else out.write(csvField(rows.idText(r)!));
    out.byte(0x2c);
    out.byte(0x30 + scores[r]!);
    for (let k = 0; k < width; k++) {
      out.byte(0x2c);
      out.float32(predictions[r * width + k]!);
    }
    let line = model;
    if (reasons !== null) {
      const codes = reasons[r]!;
      for (let i = 0; i < nReasons; i++) {
        const c = codes[i];
        line +=
          c === undefined ? ',,,' : `,${csvField(c.feature)},${c.value === null ? '' : c.value},${c.contribution}`;
      }
    }
    const warning = rows.warnings[r];
    line += warning === null || warning === undefined ? ',' : `,${csvField(warning)}`;
    for (const column of rows.kept) {
      const v = column[r];
      line += v === null || v === undefined ? ',' : `,${csvField(v)}`;
    }
    out.write(`${line}\n`);
  }
}

/** The rejects file's header: row, the id column, reason. */
export function rejectsHeader(idName: string): string {
  return `row,${csvField(idName)},reason\n`;
}

/** The rejects file's lines of one chunk, with rows numbered across the whole input. */
export function encodeRejects(rejected: readonly RejectedRow[], firstRow: number): string {
  let out = '';
  for (const r of rejected) out += `${firstRow + r.row},${r.id === null ? '' : csvField(r.id)},${csvField(r.reason)}\n`;
  return out;
}
