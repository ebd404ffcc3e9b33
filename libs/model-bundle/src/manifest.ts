import { z } from 'zod';
import type { ObjectiveName } from '@lead-scoring/xgboost-evaluator';

const OBJECTIVES = [
  'binary:logistic',
  'binary:logitraw',
  'reg:squarederror',
  'reg:logistic',
  'reg:pseudohubererror',
  'count:poisson',
  'multi:softprob',
  'multi:softmax',
] as const satisfies readonly ObjectiveName[];

/** Objectives whose prediction is a probability, as `probability_cutpoints` needs. */
const PROBABILITY_OBJECTIVES: readonly string[] = ['binary:logistic', 'reg:logistic'];

const proportion = z.number().min(0).max(1);
const ascending = (xs: readonly number[]) => {
  for (let i = 1; i < xs.length; i++) if (!((xs[i] ?? Number.NaN) > (xs[i - 1] ?? Number.NaN))) return false;
  return true;
};

/** How a prediction becomes a 1..5 score. */
export const ScoreMappingSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('class_plus_one') }),
  z.strictObject({
    type: z.literal('probability_cutpoints'),
    cutpoints: z.array(proportion).length(4).refine(ascending, 'cutpoints must be strictly ascending'),
  }),
]);

/**
 * Training distribution of one feature over non-missing values: bin i holds
 * `edges[i-1] < v <= edges[i]` (first bin `v <= edges[0]`, last bin `v > edges[last]`),
 * so `proportions` has `edges.length + 1` entries. See {@link baselineBinIndex}.
 */
export const BaselineFeatureSchema = z
  .strictObject({
    edges: z.array(z.number()).min(1).refine(ascending, 'edges must be strictly ascending'),
    proportions: z.array(proportion),
    missing_rate: proportion,
  })
  .refine((b) => b.proportions.length === b.edges.length + 1, 'proportions must have edges.length + 1 entries');

export const BaselineSchema = z.strictObject({
  sample_size: z.int().positive(),
  features: z.record(z.string(), BaselineFeatureSchema),
  scores: z.strictObject({ proportions: z.array(proportion).length(5) }),
});

/** Rows (manifest order, null = missing) with XGBoost's own `predict` output, for parity checks. */
export const ReferenceSchema = z
  .strictObject({
    rows: z.array(z.array(z.number().nullable())).min(1),
    predictions: z.array(z.array(z.number())).min(1),
  })
  .refine((r) => r.rows.length === r.predictions.length, 'reference needs one prediction per row');

/**
 * `manifest.json` of a model bundle. Unknown top-level keys (e.g. `training`) are kept.
 *
 * @example
 * const manifest = ManifestSchema.parse(JSON.parse(text));
 */
export const ManifestSchema = z
  .looseObject({
    name: z.string().min(1),
    version: z.string().min(1),
    created_at: z.iso.datetime({ offset: true }),
    framework: z.strictObject({ name: z.literal('xgboost'), version: z.string().min(1) }),
    model_file: z.literal('xgboost-model'),
    model_format: z.enum(['json', 'ubj']),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits'),
    objective: z.enum(OBJECTIVES),
    num_class: z.int().nonnegative(),
    features: z.array(z.string().min(1)),
    score_mapping: ScoreMappingSchema,
    baseline: BaselineSchema,
    reference: ReferenceSchema.optional(),
  })
  .superRefine((m, ctx) => {
    const multi = m.objective.startsWith('multi:');
    if (m.score_mapping.type === 'class_plus_one' && (!multi || m.num_class !== 5)) {
      ctx.addIssue({
        code: 'custom',
        path: ['score_mapping'],
        message: 'class_plus_one needs a multi:softprob or multi:softmax objective with num_class 5',
      });
    }
    if (m.score_mapping.type === 'probability_cutpoints' && !PROBABILITY_OBJECTIVES.includes(m.objective)) {
      ctx.addIssue({
        code: 'custom',
        path: ['score_mapping'],
        message: `probability_cutpoints needs an objective giving a probability (${PROBABILITY_OBJECTIVES.join(', ')})`,
      });
    }
    const missing = m.features.filter((f) => !(f in m.baseline.features));
    if (missing.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['baseline', 'features'], message: `no baseline for ${missing.join(', ')}` });
    }
  });

export type Manifest = z.infer<typeof ManifestSchema>;
export type ScoreMapping = z.infer<typeof ScoreMappingSchema>;
export type Baseline = z.infer<typeof BaselineSchema>;
export type BaselineFeature = z.infer<typeof BaselineFeatureSchema>;

/**
 * The baseline bin a value falls in (see {@link BaselineFeatureSchema}); binary search.
 *
 * @example
 * baselineBinIndex([1, 5], 5); // 1
 */
export function baselineBinIndex(edges: readonly number[], value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] ?? Number.POSITIVE_INFINITY) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
