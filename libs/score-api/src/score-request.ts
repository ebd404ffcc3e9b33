import { FeatureSchemaError, type LeadValidator, type ValidatedBatch } from '@lead-scoring/feature-schema';
import { ApiError } from './errors';
import { assertDepth, assertKeysSound } from './body-scan';

/** Most reason codes `?explain=N` may ask for. */
export const MAX_EXPLAIN = 50;

const NON_FINITE = /(?:^|[\s,[:])-?(?:NaN|Infinity)(?=[\s,\]}]|$)/;

/**
 * Reads `?explain=N`: 0 when absent, else a whole number 1..50.
 *
 * @example
 * parseExplain({ explain: '3' }); // 3
 */
export function parseExplain(query: Readonly<Record<string, string | undefined>> | undefined): number {
  const raw = query?.['explain'];
  if (raw === undefined) return 0;
  const n = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_EXPLAIN)) {
    throw new ApiError('INVALID_QUERY', `explain must be a whole number from 1 to ${MAX_EXPLAIN}`, {
      details: [
        {
          problem: `explain=${JSON.stringify(raw).slice(1, -1).slice(0, 40)} is not a whole number from 1 to ${MAX_EXPLAIN}`,
        },
      ],
    });
  }
  return n;
}

/**
 * Throws EXPLAIN_TOO_MANY_ROWS when a request asks reason codes for more leads than `maxExplainRows`:
 * explaining costs far more than scoring, so it is bounded per request.
 *
 * @example
 * assertExplainable(batch.total, 1000); // ok for up to 1,000 leads
 */
export function assertExplainable(leads: number, maxExplainRows: number): void {
  if (leads > maxExplainRows) {
    throw new ApiError(
      'EXPLAIN_TOO_MANY_ROWS',
      `Reason codes (?explain) were asked for ${leads} leads; at most ${maxExplainRows} per request. Send fewer leads per request, or drop ?explain`,
    );
  }
}

/**
 * Throws UNSUPPORTED_MEDIA_TYPE unless the Content-Type is `application/json` (parameters such as
 * `charset=utf-8` allowed).
 *
 * @example
 * assertJsonContentType('application/json; charset=utf-8'); // ok
 */
export function assertJsonContentType(contentType: string | string[] | undefined): void {
  const ct = (Array.isArray(contentType) ? contentType[0] : contentType)?.trim().toLowerCase() ?? '';
  const base = (ct.split(';', 1)[0] ?? '').trim();
  if (base !== 'application/json') {
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type must be application/json, got ${JSON.stringify(ct || null)}`,
    );
  }
}

/**
 * Turns a raw POST /score body into a validated batch: size limit, nesting scan, duplicate and
 * forbidden keys (object bodies only), JSON.parse, then the model's one-pass validator. Throws ApiError
 * for a malformed request (or one whose every lead is invalid); invalid leads of a batch are in `rejected`.
 *
 * @example
 * const batch = parseScoreBody(Buffer.from('[[5, 0.67, null]]'), { maxBodyBytes: 1 << 20, validator });
 */
export function parseScoreBody(
  body: Buffer | string | undefined,
  opts: { maxBodyBytes: number; validator: LeadValidator },
): ValidatedBatch {
  if (body === undefined || body.length === 0)
    throw new ApiError('INVALID_JSON', 'The body is empty; send a JSON batch');
  const bytes = typeof body === 'string' ? byteLength(body, opts.maxBodyBytes) : body.length;
  if (bytes > opts.maxBodyBytes) {
    throw new ApiError('BODY_TOO_LARGE', `The body is ${bytes} bytes; at most ${opts.maxBodyBytes} are allowed`);
  }
  assertDepth(body);
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (firstNonSpace(text) === 123) assertKeysSound(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    if (NON_FINITE.test(text)) {
      throw new ApiError('NON_FINITE_NUMBER', 'NaN and Infinity are not JSON numbers; send null for a missing value', {
        cause,
      });
    }
    throw new ApiError('INVALID_JSON', `The body is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  try {
    return opts.validator.validate(value);
  } catch (err) {
    if (err instanceof FeatureSchemaError && err.code !== 'FEATURE_SPEC_INVALID') {
      throw new ApiError(err.code, err.message, err.details ? { details: err.details } : undefined);
    }
    throw err;
  }
}

// Buffer.byteLength walks the whole string; skip it when even 3 bytes per UTF-16 unit fits the limit.
function byteLength(s: string, limit: number): number {
  return s.length * 3 <= limit ? s.length : Buffer.byteLength(s, 'utf8');
}

function firstNonSpace(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return c;
  }
  return -1;
}
