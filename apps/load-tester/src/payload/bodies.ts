import type { FeatureSpec } from '@lead-scoring/feature-schema';
import { createRng } from './rng';
import { breakRow, generateRow, invalidKindsFor, type FeatureValue, type InvalidKind } from './rows';

/** Wire format of a request body: the API's two JSON forms, or SageMaker's CSV. */
export type BodyFormat = 'array' | 'named' | 'csv';

/**
 * Pre-encoded request bodies: valid ones, and invalid ones the target must reject with a 4xx (every lead of an
 * invalid body is broken: a batch with one valid lead is answered 200, the bad ones with a per-lead error).
 */
export interface BodyPool {
  valid: readonly Buffer[];
  invalid: readonly Buffer[];
  contentType: string;
}

/** Cap on the pool's total size; bigger batches get fewer distinct bodies. */
const POOL_BYTES = 32 * 1024 * 1024;
const MAX_POOL = 256;

/**
 * Builds the bodies a run cycles through, reproducible from `seed`. Encoding them once up front
 * keeps JSON.stringify off the send path (at 10,000 req/s of 1-row bodies it cost ~15% of a core).
 *
 * @example
 * const pool = buildBodyPool({ specs: FEATURES, seed: 1, rows: 10, format: 'array' });
 * pool.valid[0]?.toString(); // '[[1200,3.5,null,…],…]'
 */
export function buildBodyPool(opts: {
  specs: readonly FeatureSpec[];
  seed: number;
  rows: number;
  format: BodyFormat;
  poolSize?: number;
}): BodyPool {
  const rng = createRng(opts.seed);
  const first = encodeBody(opts.specs, rowsOf(opts.specs, opts.rows, rng), opts.format, 0);
  const size = Math.max(1, Math.min(opts.poolSize ?? MAX_POOL, Math.floor(POOL_BYTES / first.length)));
  const valid = [first];
  for (let i = 1; i < size; i++) valid.push(encodeBody(opts.specs, rowsOf(opts.specs, opts.rows, rng), opts.format, i));
  // CSV reaches a bare model server, which checks shape but not ranges: only a short row is invalid there.
  const kinds: InvalidKind[] = opts.format === 'csv' ? ['wrong_length'] : invalidKindsFor(opts.specs);
  const invalid = kinds.flatMap((kind, k) =>
    Array.from({ length: Math.max(1, Math.floor(size / 4)) }, (_, i) => {
      const rows = rowsOf(opts.specs, opts.rows, rng).map((row) => breakRow(opts.specs, row, kind, rng));
      return encodeBody(opts.specs, rows, opts.format, size + k * size + i);
    }),
  );
  return { valid, invalid, contentType: opts.format === 'csv' ? 'text/csv' : 'application/json' };
}

function rowsOf(specs: readonly FeatureSpec[], count: number, rng: () => number): FeatureValue[][] {
  return Array.from({ length: count }, () => generateRow(specs, rng));
}

/** Encodes rows in one of the wire formats; in the named form a short row becomes an unknown feature name. */
export function encodeBody(
  specs: readonly FeatureSpec[],
  rows: readonly (readonly FeatureValue[])[],
  format: BodyFormat,
  serial: number,
): Buffer {
  if (format === 'array') return Buffer.from(JSON.stringify(rows));
  if (format === 'csv')
    return Buffer.from(rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\n'));
  const leads = rows.map((row, i) => {
    const features: Record<string, FeatureValue> = {};
    specs.forEach((spec, j) => {
      const value = row[j];
      // Missing is spelled by absence, except where the feature forbids it: an explicit null is the invalid case.
      if (value === undefined) return;
      if (value !== null || !spec.allowMissing) features[spec.name] = value;
    });
    // A dropped column cannot be spelled by name; an unknown name is the named form's shape error.
    if (row.length < specs.length) features['not_a_feature'] = 1;
    return { lead_id: `lt-${serial}-${i}`, features };
  });
  return Buffer.from(JSON.stringify({ leads }));
}
