import { valueTypeProblem, type FeatureContract } from '@lead-scoring/feature-schema';
import type { LeadRows } from './lead-rows';

const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const SPACE = 0x20;
const TAB = 0x09;
const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Field texts read as a missing value, as `init` reads a sample: what pandas, numpy and SQL exports write. */
const MISSING: ReadonlySet<string> = new Set(['', 'NaN', 'nan', 'null']);

/**
 * Reads a plain decimal (`-12`, `0.25`, `1e-3`) from bytes [start, end) without making a string; NaN when the
 * field needs the slow path (spaces, missing tokens, more than 15 digits, text). Exact: up to 15 significant
 * digits and a power of ten up to 1e22 are both exact doubles, so the one multiplication or division rounds
 * once, as Number() would (Clinger's fast path).
 *
 * @example parsePlainDecimal(Buffer.from('-0.25'), 0, 5) // -0.25
 */
export function parsePlainDecimal(b: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (b[i] === MINUS) {
    negative = true;
    i++;
  } else if (b[i] === PLUS) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let any = false;
  for (; i < end; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) break;
    mantissa = mantissa * 10 + d;
    if (mantissa !== 0) digits++;
    any = true;
  }
  if (i < end && b[i] === DOT) {
    for (i++; i < end; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
      if (mantissa !== 0) digits++;
      scale--;
      any = true;
    }
  }
  if (!any || digits > 15) return Number.NaN;
  if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    let sign = 1;
    if (b[i] === MINUS) {
      sign = -1;
      i++;
    } else if (b[i] === PLUS) i++;
    let exponent = 0;
    const from = i;
    for (; i < end && i - from < 4; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) return Number.NaN;
      exponent = exponent * 10 + d;
    }
    if (i === from) return Number.NaN;
    scale += sign * exponent;
  }
  if (i !== end || scale > 22 || scale < -22) return Number.NaN;
  const v = scale >= 0 ? mantissa * POW10[scale]! : mantissa / POW10[-scale]!;
  return negative ? -v : v;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** A plain decimal (sign, digits, point, exponent): a scanner, linear on any input where a regex could backtrack. */
function isDecimalText(s: string): boolean {
  let i = 0;
  if (s.charCodeAt(0) === PLUS || s.charCodeAt(0) === MINUS) i++;
  let digits = 0;
  for (; isDigit(s.charCodeAt(i)); i++) digits++;
  if (s.charCodeAt(i) === DOT) for (i++; isDigit(s.charCodeAt(i)); i++) digits++;
  if (digits === 0) return false;
  if (s.charCodeAt(i) === 0x65 || s.charCodeAt(i) === 0x45) {
    i++;
    if (s.charCodeAt(i) === PLUS || s.charCodeAt(i) === MINUS) i++;
    const from = i;
    while (isDigit(s.charCodeAt(i))) i++;
    if (i === from) return false;
  }
  return i === s.length;
}

const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Where the last {@link scanPlainDecimal} stopped: the separator after the number (`,`, `\n`, `\r\n` or the end). */
export const scanned = { end: 0 };

/**
 * Reads an unquoted CSV field starting at `start` as a plain decimal in one pass, stopping at its separator
 * (recorded in {@link scanned}); NaN when the field is anything else, and the caller reads it the slow way.
 * One pass instead of finding the field's end and then parsing it: the decoder's largest cost.
 *
 * @example scanPlainDecimal(Buffer.from('12.5,3\n'), 0) // 12.5, scanned.end = 4
 */
export function scanPlainDecimal(b: Uint8Array, start: number): number {
  let i = start;
  const n = b.length;
  let negative = false;
  if (b[i] === MINUS) {
    negative = true;
    i++;
  } else if (b[i] === PLUS) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let any = false;
  let c = 0;
  for (; i < n; i++) {
    c = b[i]! - 48;
    if (c < 0 || c > 9) break;
    mantissa = mantissa * 10 + c;
    if (mantissa !== 0) digits++;
    any = true;
  }
  if (i < n && b[i] === DOT) {
    for (i++; i < n; i++) {
      c = b[i]! - 48;
      if (c < 0 || c > 9) break;
      mantissa = mantissa * 10 + c;
      if (mantissa !== 0) digits++;
      scale--;
      any = true;
    }
  }
  if (!any || digits > 15) return Number.NaN;
  const at = b[i];
  if (i < n && at !== COMMA && at !== LF && !(at === CR && (i + 1 === n || b[i + 1] === LF))) {
    // An exponent, a space or anything else: the slow path decides.
    return Number.NaN;
  }
  scanned.end = at === CR ? i + 1 : i;
  const v = scale === 0 ? mantissa : scale > -23 ? mantissa / POW10[-scale]! : Number.NaN;
  return negative ? -v : v;
}

/** Trims spaces and tabs off [start, end): returns the new start; `trimEnd` gives the new end. */
export function trimStart(b: Uint8Array, start: number, end: number): number {
  while (start < end && (b[start] === SPACE || b[start] === TAB)) start++;
  return start;
}

export function trimEnd(b: Uint8Array, start: number, end: number): number {
  while (end > start && (b[end - 1] === SPACE || b[end - 1] === TAB)) end--;
  return end;
}

/**
 * Hands one text field of feature `j` to the row: a number, a missing value, or a reason why it is neither.
 * The slow path of the byte scanner, and the whole path for quoted fields.
 *
 * @example readFieldText(rows, contract, 3, ' 1.5 ')
 */
export function readFieldText(rows: LeadRows, contract: FeatureContract, j: number, raw: string): void {
  const text = raw.trim();
  if (MISSING.has(text)) {
    rows.missing(j, text === '' ? 'empty' : text);
    return;
  }
  if (isDecimalText(text)) {
    // Finite, or ±Infinity for an overflowing exponent, which the contract refuses as "must be a finite number".
    rows.number(j, Number(text));
    return;
  }
  const spec = contract.features[j]!;
  rows.invalid(
    spec.name,
    `${valueTypeProblem(spec, text) ?? 'must be a number'} (${JSON.stringify(text.slice(0, 40))})`,
  );
}
