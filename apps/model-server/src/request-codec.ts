import { ModelServerError } from './errors';

/** A decoded request: row-major float32 features, NaN = missing. */
export interface DecodedRows {
  x: Float32Array;
  nRows: number;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Plain decimal numbers only: Number() alone would also take "0x1f", "0b1" and "Infinity".
 * A scanner rather than a regex: linear on any input, where a backtracking pattern could be
 * made quadratic by one multi-megabyte field.
 */
function isDecimal(s: string): boolean {
  let i = 0;
  const n = s.length;
  if (s.charCodeAt(0) === 43 || s.charCodeAt(0) === 45) i++;
  const intStart = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  let digits = i - intStart;
  if (s.charCodeAt(i) === 46) {
    const fracStart = ++i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    digits += i - fracStart;
  }
  if (digits === 0) return false;
  if (s.charCodeAt(i) === 101 || s.charCodeAt(i) === 69) {
    i++;
    if (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45) i++;
    const start = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === start) return false;
  }
  return i === n;
}

function parseField(field: string, line: number, col: number): number {
  const f = field.trim();
  if (f === '' || f === 'nan' || f === 'NaN') return NaN;
  if (!isDecimal(f)) {
    throw new ModelServerError(
      'BAD_VALUE',
      `line ${line}, field ${col}: ${JSON.stringify(f.slice(0, 40))} is not a number`,
    );
  }
  return Number(f);
}

/**
 * Decodes SageMaker CSV: no header, one row a line, an empty field (or `nan`) = missing; `\r\n` and a trailing newline are fine.
 *
 * @example
 * decodeCsv('1,,3\n', 3) // { x: Float32Array [1, NaN, 3], nRows: 1 }
 */
export function decodeCsv(text: string, numFeatures: number): DecodedRows {
  return decodeCsvBytes(Buffer.from(text, 'utf8'), numFeatures);
}

const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);
const isBlank = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * A field of bytes [start, end) that is a plain decimal without spaces or exponent and with at most 15
 * digits, read without making a string; NaN otherwise (the caller takes the string path). Equal to Number():
 * such a mantissa and a power of ten up to 1e22 are exact doubles, so the one division rounds once.
 */
function fastDecimal(b: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = b[i] === 0x2d;
  if (negative || b[i] === 0x2b) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let seen = false;
  let point = false;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c === 0x2e && !point) {
      point = true;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return Number.NaN;
    mantissa = mantissa * 10 + d;
    if (mantissa !== 0) digits++;
    if (point) scale++;
    seen = true;
  }
  if (!seen || digits > 15 || scale > 22) return Number.NaN;
  const v = mantissa / POW10[scale]!;
  return negative ? -v : v;
}

/**
 * Decodes SageMaker CSV straight from the body's bytes, as {@link decodeCsv} does from text (same rules, same
 * errors): batch transform sends bodies of up to MaxPayloadInMB, and a string per line and per field of a
 * 100 MB body would take gigabytes.
 *
 * @example
 * decodeCsvBytes(Buffer.from('1,,3\n'), 3) // { x: Float32Array [1, NaN, 3], nRows: 1 }
 */
export function decodeCsvBytes(body: Uint8Array, numFeatures: number): DecodedRows {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // Trailing lines that are blank are not rows.
  let end = text.length;
  while (end > 0 && isBlank(text[end - 1]!)) end--;
  if (end === 0) throw new ModelServerError('EMPTY_BODY', 'the request body has no rows');
  const lineEnd = text.indexOf(LF, end);
  end = lineEnd < 0 ? text.length : lineEnd;
  let n = 1;
  for (let i = text.indexOf(LF); i >= 0 && i < end; i = text.indexOf(LF, i + 1)) n++;
  const x = new Float32Array(n * numFeatures);
  let start = 0;
  for (let r = 0; r < n; r++) {
    let stop = text.indexOf(LF, start);
    if (stop < 0 || stop > end) stop = end;
    const next = stop + 1;
    if (stop > start && text[stop - 1] === CR) stop--;
    let blank = true;
    let fields = 1;
    for (let i = start; i < stop; i++) {
      const c = text[i]!;
      if (c === COMMA) fields++;
      if (blank && !isBlank(c)) blank = false;
    }
    if (blank) throw new ModelServerError('BAD_CSV', `line ${r + 1} is empty`);
    if (fields !== numFeatures) {
      throw new ModelServerError(
        'FEATURE_COUNT',
        `line ${r + 1} has ${fields} fields, the model takes ${numFeatures} (CSV has no header; an empty field is a missing value)`,
      );
    }
    const base = r * numFeatures;
    let from = start;
    for (let c = 0; c < numFeatures; c++) {
      let to = text.indexOf(COMMA, from);
      if (to < 0 || to > stop) to = stop;
      const v = fastDecimal(text, from, to);
      x[base + c] = v === v ? v : parseField(text.toString('utf8', from, to), r + 1, c + 1);
      from = to + 1;
    }
    start = next;
  }
  return { x, nRows: n };
}

/**
 * Decodes JSON: an array of rows (arrays of numbers, `null` = missing), or a single row.
 *
 * @example
 * decodeJson('[[1, null, 3]]', 3) // { x: Float32Array [1, NaN, 3], nRows: 1 }
 */
export function decodeJson(text: string, numFeatures: number): DecodedRows {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new ModelServerError('BAD_JSON', `the body is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(body))
    throw new ModelServerError(
      'BAD_JSON',
      'the JSON body must be an array of rows (arrays of numbers, null = missing)',
    );
  if (body.length === 0) throw new ModelServerError('EMPTY_BODY', 'the request body has no rows');
  const rows: unknown[] = body.every((v) => !Array.isArray(v)) ? [body] : body;
  const x = new Float32Array(rows.length * numFeatures);
  rows.forEach((row, r) => {
    if (!Array.isArray(row)) throw new ModelServerError('BAD_JSON', `row ${r + 1} is not an array`);
    if (row.length !== numFeatures) {
      throw new ModelServerError(
        'FEATURE_COUNT',
        `row ${r + 1} has ${row.length} values, the model takes ${numFeatures}`,
      );
    }
    for (let c = 0; c < numFeatures; c++) {
      const v: unknown = row[c];
      if (v === null) x[r * numFeatures + c] = NaN;
      else if (typeof v === 'number' && Number.isFinite(v)) x[r * numFeatures + c] = v;
      else
        throw new ModelServerError(
          'BAD_VALUE',
          `row ${r + 1}, value ${c + 1}: ${JSON.stringify(v)} is not a number or null`,
        );
    }
  });
  return { x, nRows: rows.length };
}
