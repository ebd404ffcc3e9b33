import type { FeatureKind, FeatureSpecJson } from '@lead-scoring/feature-schema';

/** What one sample column shows: its observed range and the shape of its values. */
export interface ColumnProfile {
  readonly present: number;
  readonly missing: number;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly zeroOne: boolean;
}

/**
 * Observed facts of one column (NaN = missing) in a single pass.
 *
 * @example profileColumn(Float64Array.of(0, 1, NaN)) // { present: 2, missing: 1, min: 0, max: 1, integer: true, zeroOne: true }
 */
export function profileColumn(column: Float64Array): ColumnProfile {
  let present = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integer = true;
  let zeroOne = true;
  for (const v of column) {
    if (Number.isNaN(v)) continue;
    present++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integer && !Number.isInteger(v)) integer = false;
    if (zeroOne && v !== 0 && v !== 1) zeroOne = false;
  }
  return { present, missing: column.length - present, min, max, integer, zeroOne };
}

function kindOf(p: ColumnProfile): FeatureKind {
  if (p.present === 0) return 'number';
  if (p.zeroOne) return 'flag';
  if (p.integer && p.min >= 0) return 'count';
  if (p.min >= 0 && p.max <= 1) return 'ratio';
  return 'number';
}

/**
 * The manifest spec the sample suggests for one feature: observed min/max, whole numbers or not, missing
 * allowed when any value is missing, and a kind (`flag` for 0/1 values, `count` for whole numbers >= 0,
 * `ratio` within 0..1, else `number`). A flag's range is 0..1 even when the sample shows one value only,
 * so a lead with the other value is not flagged out of range. A column with no value is an unbounded number.
 *
 * @example inferFeatureSpec('sso_requested', profileColumn(column)) // { kind: 'flag', min: 0, max: 1, integer: true, ... }
 */
export function inferFeatureSpec(name: string, p: ColumnProfile): FeatureSpecJson {
  const kind = kindOf(p);
  const bounded = p.present > 0;
  return {
    name,
    description: '',
    unit: '',
    kind,
    ...(bounded ? { min: kind === 'flag' ? 0 : p.min, max: kind === 'flag' ? 1 : p.max } : {}),
    integer: bounded && p.integer,
    allow_missing: p.missing > 0,
  };
}
