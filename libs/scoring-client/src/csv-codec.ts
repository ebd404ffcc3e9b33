import { ScoringError, ScoringErrorCode } from './errors';

/**
 * Encodes a row-major float32 batch as SageMaker CSV: no header, one row a line, an empty field for NaN.
 * `String(v)` of a float32 widened to float64 round-trips exactly through the server's parse + fround,
 * so the endpoint sees bit-identical inputs to the in-process path.
 *
 * @example
 * encodeCsvRows(new Float32Array([1, NaN, 0.5]), 1, 3) // "1,,0.5\n"
 */
export function encodeCsvRows(x: Float32Array, nRows: number, numFeatures: number): string {
  let out = '';
  for (let r = 0; r < nRows; r++) {
    const base = r * numFeatures;
    for (let c = 0; c < numFeatures; c++) {
      const v = x[base + c] as number;
      if (c > 0) out += ',';
      if (v === v) out += String(v);
    }
    out += '\n';
  }
  return out;
}

const badResponse = (message: string): ScoringError =>
  new ScoringError(ScoringErrorCode.UPSTREAM_BAD_RESPONSE, `endpoint returned an unusable response: ${message}`);

/**
 * Parses an endpoint's CSV answer (one line per row, `width` comma-separated numbers) into a flat Float64Array.
 * Throws `ScoringError` UPSTREAM_BAD_RESPONSE when the row count, width or any value is wrong.
 *
 * @example
 * parseCsvPredictions("0.1,0.9\n", 1, 2) // Float64Array [0.1, 0.9]
 */
export function parseCsvPredictions(text: string, nRows: number, width: number): Float64Array {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length !== nRows) throw badResponse(`expected ${nRows} lines, got ${lines.length}`);
  const out = new Float64Array(nRows * width);
  for (let r = 0; r < nRows; r++) {
    const fields = (lines[r] as string).split(',');
    if (fields.length !== width) throw badResponse(`line ${r + 1} has ${fields.length} values, expected ${width}`);
    for (let c = 0; c < width; c++) {
      const field = (fields[c] as string).trim();
      const v = field === '' ? NaN : Number(field);
      if (!Number.isFinite(v)) throw badResponse(`line ${r + 1} value ${c + 1} is not a number`);
      out[r * width + c] = v;
    }
  }
  return out;
}
