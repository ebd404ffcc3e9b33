import type { FeatureContract } from '@lead-scoring/feature-schema';
import { parsePlainDecimal, readFieldText, scanned, scanPlainDecimal, trimEnd, trimStart } from './field-value';
import type { LeadRows } from './lead-rows';

const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const QUOTE = 0x22;

/** What a worker needs to know of a CSV file's columns (from its header). */
export interface CsvLayout {
  readonly columns: number;
  /** Per column: its feature, or -1. */
  readonly featureOf: readonly number[];
  readonly idColumn: number;
  readonly idName: string;
  /** Per column: its place among the kept columns, or -1. */
  readonly keepOf: readonly number[];
}

/**
 * Reads a block of whole CSV records (no header; each ends in a newline) into `rows`: a byte scanner over
 * plain fields, RFC 4180 quoted fields (`""` inside) decoded as text. Empty lines are skipped; a record with
 * another field count than the header is rejected.
 *
 * Why not csv-parse here: its streaming parser reads 188,000 rows/s of the demo's 51 columns on one core
 * (node 20, this machine) before a single number is converted; this scanner reads and validates several
 * times that, which the 3x-Python target on two cores needs.
 *
 * @example decodeCsvBlock(Buffer.from('crm-1,5,0.2\n'), layout, contract, rows)
 */
export function decodeCsvBlock(b: Uint8Array, layout: CsvLayout, contract: FeatureContract, rows: LeadRows): void {
  const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const { featureOf, idColumn, keepOf, columns } = layout;
  rows.idSource = b;
  const n = b.length;
  let p = 0;
  while (p < n) {
    if (b[p] === LF) {
      p++;
      continue;
    }
    if (b[p] === CR && b[p + 1] === LF) {
      p += 2;
      continue;
    }
    rows.begin();
    let col = 0;
    for (;;) {
      const j = col < columns ? featureOf[col]! : -1;
      if (j >= 0 && b[p] !== QUOTE) {
        const v = scanPlainDecimal(b, p);
        if (v === v) {
          rows.number(j, v);
          const stop = scanned.end;
          col++;
          p = stop + 1;
          if (stop >= n || b[stop] === LF) break;
          continue;
        }
      }
      let value: string | undefined;
      let start = p;
      let end: number;
      if (b[p] === QUOTE) {
        const q = readQuoted(text, p);
        value = q.value;
        end = q.end;
      } else {
        end = p;
        while (end < n && b[end] !== COMMA && b[end] !== LF) end++;
      }
      const stop = end;
      if (value === undefined && stop > start && b[stop - 1] === CR && (stop === n || b[stop] === LF)) end = stop - 1;
      if (col < columns) {
        if (j >= 0) {
          if (value !== undefined) readFieldText(rows, contract, j, value);
          else {
            start = trimStart(b, start, end);
            const v = parsePlainDecimal(b, start, trimEnd(b, start, end));
            if (v === v) rows.number(j, v);
            else readFieldText(rows, contract, j, text.toString('utf8', start, end));
          }
        } else if (col === idColumn) {
          if (value !== undefined) rows.setId(value.trim(), layout.idName);
          else {
            start = trimStart(b, start, end);
            const stop = trimEnd(b, start, end);
            let quote = false;
            for (let i = start; i < stop && !quote; i++) quote = b[i] === QUOTE;
            if (quote) rows.setId(text.toString('utf8', start, stop), layout.idName);
            else rows.setIdRange(start, stop, layout.idName);
          }
        } else if (keepOf[col]! >= 0) {
          rows.setKept(keepOf[col]!, value ?? text.toString('utf8', start, end));
        }
      }
      col++;
      p = stop + 1;
      if (stop >= n || b[stop] === LF) break;
    }
    if (col !== columns) rows.invalid('', `has ${col} fields; the header has ${columns}`);
    rows.end();
  }
}

/** A quoted field starting at `start`: its text (`""` read as `"`) and the index just past the closing quote. */
function readQuoted(text: Buffer, start: number): { value: string; end: number } {
  let i = start + 1;
  let from = i;
  let value = '';
  for (;;) {
    const q = text.indexOf(QUOTE, i);
    if (q < 0) return { value: value + text.toString('utf8', from), end: text.length };
    if (text[q + 1] === QUOTE) {
      value += text.toString('utf8', from, q + 1);
      i = q + 2;
      from = i;
      continue;
    }
    value += text.toString('utf8', from, q);
    // Anything between the closing quote and the next separator is kept, as lenient readers do.
    let end = q + 1;
    while (end < text.length && text[end] !== COMMA && text[end] !== LF) end++;
    if (end > q + 1) value += text.toString('utf8', q + 1, text[end - 1] === CR ? end - 1 : end);
    return { value, end };
  }
}
