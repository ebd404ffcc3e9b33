import { ModelServerError } from './errors';

export type MediaType = 'text/csv' | 'application/json';

const mediaOf = (header: string): string => (header.split(';')[0] ?? '').trim().toLowerCase();

/** The request body's type; no Content-Type is taken as CSV, SageMaker's usual default. */
export function requestMediaType(contentType: string | undefined): MediaType {
  const m = contentType === undefined ? '' : mediaOf(contentType);
  if (m === '' || m === 'text/csv') return 'text/csv';
  if (m === 'application/json') return 'application/json';
  throw new ModelServerError(
    'UNSUPPORTED_CONTENT_TYPE',
    `Content-Type ${JSON.stringify(m)} is not supported: use text/csv or application/json`,
  );
}

/** Picks the response type from Accept; none or a wildcard answers in the request's own type. */
export function responseMediaType(accept: string | undefined, requestType: MediaType): MediaType {
  if (accept === undefined || accept.trim() === '') return requestType;
  for (const part of accept.split(',')) {
    const m = mediaOf(part);
    if (m === 'text/csv' || m === 'application/json') return m;
    if (m === '*/*' || m === 'text/*') return m === 'text/*' ? 'text/csv' : requestType;
    if (m === 'application/*') return 'application/json';
  }
  throw new ModelServerError(
    'UNSUPPORTED_ACCEPT',
    `Accept ${JSON.stringify(accept)} is not supported: use text/csv or application/json`,
  );
}

/**
 * Formats predictions (`nRows * width`) as the XGBoost container does: CSV one line per row, values comma-separated;
 * JSON `{"predictions": [...]}`, a number per row when width is 1, else an array per row.
 * `String(v)` prints the shortest text that parses back to the same double, so clients see exact values.
 *
 * @example
 * formatPredictions(new Float64Array([0.25, 0.75]), { nRows: 1, width: 2, type: 'text/csv' }) // "0.25,0.75\n"
 */
export function formatPredictions(
  preds: Float64Array,
  opts: { nRows: number; width: number; type: MediaType },
): string {
  const { nRows, width, type } = opts;
  if (type === 'text/csv') {
    let out = '';
    for (let r = 0; r < nRows; r++) {
      for (let c = 0; c < width; c++) out += (c > 0 ? ',' : '') + String(preds[r * width + c]);
      out += '\n';
    }
    return out;
  }
  const rows: (number | number[])[] = new Array<number | number[]>(nRows);
  for (let r = 0; r < nRows; r++) {
    rows[r] = width === 1 ? (preds[r] as number) : Array.from(preds.subarray(r * width, (r + 1) * width));
  }
  return JSON.stringify({ predictions: rows });
}
