import { predictedClass, type ModelBundle } from '@lead-scoring/model-bundle';
import { DeployError } from '../errors';
import type { ShadowLakeRow } from './read-shadow-lake';

/** A feature whose TreeSHAP contribution differs between the two models. */
export interface ContributionShift {
  readonly feature: string;
  /** Mean |contribution(shadow) - contribution(production)| over the sample, in margin units. */
  readonly meanAbsChange: number;
  /** Mean contribution of each model over the sample (signed). */
  readonly production: number;
  readonly shadow: number;
}

/**
 * Compares the two models' TreeSHAP contributions (the evaluator's `predictContribsBatch`) on up to `sampleRows` lake
 * rows a shadow scored (an even spread over them): each row is explained for the class production predicted (the one
 * group of a binary model), by both models, on the same values; features are matched by name (a feature the shadow
 * model does not read contributes 0 to it). Returns every production feature, the largest mean change first.
 *
 * @example
 * const top = contributionShifts(rows, production, shadow).slice(0, 10);
 */
export function contributionShifts(
  rows: readonly ShadowLakeRow[],
  production: ModelBundle,
  shadow: ModelBundle,
  sampleRows = 500,
): ContributionShift[] {
  const names = production.contract.names;
  const shadowed = rows.filter((r) => r.shadowScore !== null && r.x !== null);
  const step = Math.max(1, shadowed.length / sampleRows);
  const sample: ShadowLakeRow[] = [];
  for (let k = 0; k < shadowed.length && sample.length < sampleRows; k += step) sample.push(shadowed[Math.floor(k)]!);
  const n = sample.length;
  const nf = names.length;
  const cols = shadow.contract.names.map((name) => {
    const j = production.contract.index.get(name);
    if (j === undefined)
      throw new DeployError(
        'SHADOW_INPUT_INVALID',
        `the shadow bundle reads feature "${name}", which the production bundle has not`,
      );
    return j;
  });
  const x = new Float32Array(n * nf);
  sample.forEach((r, i) => x.set(r.x!, i * nf));
  const sx = new Float32Array(n * cols.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < cols.length; j++) sx[i * cols.length + j] = x[i * nf + cols[j]!]!;
  const group = groupsOf(production, x, n);
  const prodContribs = production.model.predictContribsBatch(x, n, undefined, { group });
  const shadowGroup = shadow.model.numGroups > 1 ? group : 0;
  const shadowContribs = shadow.model.predictContribsBatch(sx, n, undefined, { group: shadowGroup });
  const sums = names.map(() => ({ change: 0, production: 0, shadow: 0 }));
  const shadowOf = new Map(cols.map((j, k) => [j, k]));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < nf; j++) {
      const p = prodContribs[i * (nf + 1) + j]!;
      const k = shadowOf.get(j);
      const s = k === undefined ? 0 : shadowContribs[i * (cols.length + 1) + k]!;
      sums[j]!.change += Math.abs(s - p);
      sums[j]!.production += p;
      sums[j]!.shadow += s;
    }
  }
  return names
    .map((feature, j) => ({
      feature,
      meanAbsChange: sums[j]!.change / Math.max(1, n),
      production: sums[j]!.production / Math.max(1, n),
      shadow: sums[j]!.shadow / Math.max(1, n),
    }))
    .sort((a, b) => b.meanAbsChange - a.meanAbsChange || (a.feature < b.feature ? -1 : 1));
}

/** The class each row is explained for: production's predicted class (0 for single-output models). */
function groupsOf(bundle: ModelBundle, x: Float32Array, n: number): Int32Array {
  const group = new Int32Array(n);
  const width = bundle.model.predictionWidth;
  if (bundle.model.numGroups <= 1) return group;
  const pred = bundle.model.predictBatch(x, n);
  for (let i = 0; i < n; i++) group[i] = predictedClass(pred, i * width, width);
  return group;
}
