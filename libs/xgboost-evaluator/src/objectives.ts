import type { ObjectiveName } from './types';

const SUPPORTED: ReadonlySet<string> = new Set<ObjectiveName>([
  'binary:logistic',
  'binary:logitraw',
  'reg:squarederror',
  'reg:logistic',
  'reg:pseudohubererror',
  'count:poisson',
  'multi:softprob',
  'multi:softmax',
]);

export function isSupportedObjective(name: string): name is ObjectiveName {
  return SUPPORTED.has(name);
}

const f32 = Math.fround;
const RT_EPS = f32(1e-6);

/**
 * The margin every row starts from: XGBoost's `ObjFunction::ProbToMargin(base_score)`, in float32.
 * binary:logistic and reg:logistic store a probability; binary:logitraw stores the margin itself
 * (checked against XGBoost 1.7.4's own predictions in the parity fixtures); multi:* stores margins.
 *
 * @example baseMargin('binary:logistic', 0.5) // 0
 */
export function baseMargin(objective: ObjectiveName, baseScore: number): number {
  const b = f32(baseScore);
  switch (objective) {
    case 'binary:logistic':
    case 'reg:logistic': {
      // XGBoost >= 3.2 clamps to [1e-6, 1 - 1e-6]: a one-class training set stores "[1E0]", which
      // would otherwise start from an infinite margin. Earlier versions differ only within 1e-6 of 0 or 1.
      const p = Math.min(Math.max(b, RT_EPS), f32(1 - RT_EPS));
      return f32(-Math.log(f32(f32(1 / p) - 1)));
    }
    case 'count:poisson':
      return f32(Math.log(b));
    default:
      return b;
  }
}

/** {@link baseMargin} of each group's base_score. @example baseMargins('multi:softprob', scores) */
export function baseMargins(objective: ObjectiveName, baseScores: ArrayLike<number>): Float64Array {
  return Float64Array.from(baseScores, (score) => baseMargin(objective, score));
}

/** XGBoost's float sigmoid: 1.0f / (1.0f + expf(-x)), rounded at each step as the C++ does. */
export function sigmoid(x: number): number {
  return f32(1 / f32(1 + f32(Math.exp(-x))));
}

/**
 * Writes the transformed prediction of one row: `margins[mOff .. mOff+groups)` → `out[oOff ..)`.
 * Softmax follows XGBoost: float exps of (x - max), a double sum, each divided by the float sum.
 */
export function transformRow(
  objective: ObjectiveName,
  margins: ArrayLike<number>,
  mOff: number,
  groups: number,
  out: Float64Array,
  oOff: number,
): void {
  switch (objective) {
    case 'binary:logistic':
    case 'reg:logistic':
      out[oOff] = sigmoid(margins[mOff]!);
      return;
    case 'count:poisson':
      out[oOff] = f32(Math.exp(margins[mOff]!));
      return;
    case 'multi:softprob': {
      let max = margins[mOff]!;
      for (let g = 1; g < groups; g++) max = Math.max(max, margins[mOff + g]!);
      let sum = 0;
      for (let g = 0; g < groups; g++) {
        const e = f32(Math.exp(f32(margins[mOff + g]! - max)));
        out[oOff + g] = e;
        sum += e;
      }
      const fsum = f32(sum);
      for (let g = 0; g < groups; g++) out[oOff + g] = f32(out[oOff + g]! / fsum);
      return;
    }
    case 'multi:softmax': {
      let best = 0;
      for (let g = 1; g < groups; g++) if (margins[mOff + g]! > margins[mOff + best]!) best = g;
      out[oOff] = best;
      return;
    }
    default:
      out[oOff] = margins[mOff]!;
  }
}
