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
    throw new ModelServerError('BAD_VALUE', `line ${line}, field ${col}: ${JSON.stringify(f.slice(0, 40))} is not a number`);
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
  const lines = text.split('\n');
  let n = lines.length;
  while (n > 0 && (lines[n - 1] as string).trim() === '') n--;
  if (n === 0) throw new ModelServerError('EMPTY_BODY', 'the request body has no rows');
  const x = new Float32Array(n * numFeatures);
  for (let r = 0; r < n; r++) {
    let line = lines[r] as string;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') throw new ModelServerError('BAD_CSV', `line ${r + 1} is empty`);
    const fields = line.split(',');
    if (fields.length !== numFeatures) {
      throw new ModelServerError(
        'FEATURE_COUNT',
        `line ${r + 1} has ${fields.length} fields, the model takes ${numFeatures} (CSV has no header; an empty field is a missing value)`,
      );
    }
    const base = r * numFeatures;
    for (let c = 0; c < numFeatures; c++) x[base + c] = parseField(fields[c] as string, r + 1, c + 1);
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
  if (!Array.isArray(body)) throw new ModelServerError('BAD_JSON', 'the JSON body must be an array of rows (arrays of numbers, null = missing)');
  if (body.length === 0) throw new ModelServerError('EMPTY_BODY', 'the request body has no rows');
  const rows: unknown[] = body.every((v) => !Array.isArray(v)) ? [body] : body;
  const x = new Float32Array(rows.length * numFeatures);
  rows.forEach((row, r) => {
    if (!Array.isArray(row)) throw new ModelServerError('BAD_JSON', `row ${r + 1} is not an array`);
    if (row.length !== numFeatures) {
      throw new ModelServerError('FEATURE_COUNT', `row ${r + 1} has ${row.length} values, the model takes ${numFeatures}`);
    }
    for (let c = 0; c < numFeatures; c++) {
      const v: unknown = row[c];
      if (v === null) x[r * numFeatures + c] = NaN;
      else if (typeof v === 'number' && Number.isFinite(v)) x[r * numFeatures + c] = v;
      else throw new ModelServerError('BAD_VALUE', `row ${r + 1}, value ${c + 1}: ${JSON.stringify(v)} is not a number or null`);
    }
  });
  return { x, nRows: rows.length };
}
