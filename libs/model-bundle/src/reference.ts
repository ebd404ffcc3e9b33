import { BundleError, BundleErrorCode } from './errors';
import type { ModelBundle } from './load-bundle';

/** Outcome of {@link checkReference}. */
export interface ReferenceCheck {
  rows: number;
  maxAbsDiff: number;
}

/**
 * Scores the manifest's reference rows and compares them with XGBoost's recorded predictions;
 * throws BUNDLE_REFERENCE_MISMATCH past `tolerance` (default 1e-5: float32 sums in another order).
 * Returns `{ rows: 0 }` when the manifest has no reference.
 *
 * @example
 * checkReference(await loadBundle(dir)); // { rows: 20, maxAbsDiff: 6e-8 }
 */
export function checkReference(bundle: ModelBundle, opts: { tolerance?: number } = {}): ReferenceCheck {
  const tolerance = opts.tolerance ?? 1e-5;
  const ref = bundle.manifest.reference;
  if (!ref) return { rows: 0, maxAbsDiff: 0 };
  const got = bundle.model.predict(ref.rows, 'prediction') as (number | number[])[];
  let maxAbsDiff = 0;
  ref.predictions.forEach((want, r) => {
    const row = got[r];
    const values = Array.isArray(row) ? row : [row];
    if (values.length !== want.length) {
      throw new BundleError(
        BundleErrorCode.REFERENCE_MISMATCH,
        `reference row ${r}: the model gives ${values.length} values, the manifest ${want.length}`,
      );
    }
    want.forEach((w, k) => {
      const diff = Math.abs((values[k] ?? NaN) - w);
      maxAbsDiff = Number.isNaN(diff) ? Infinity : Math.max(maxAbsDiff, diff);
    });
  });
  if (maxAbsDiff > tolerance) {
    throw new BundleError(
      BundleErrorCode.REFERENCE_MISMATCH,
      `${bundle.dir}: predictions on the reference rows differ from XGBoost's by up to ${maxAbsDiff} (tolerance ${tolerance})`,
    );
  }
  return { rows: ref.rows.length, maxAbsDiff };
}
