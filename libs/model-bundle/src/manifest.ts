import { z } from 'zod';
import { FeatureListJsonSchema } from '@lead-scoring/feature-schema';
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

const nonDecreasing = (xs: readonly number[]) => xs.every((x, i) => i === 0 || x >= xs[i - 1]!);

/**
 * How a prediction becomes a 1..5 score:
 * - `class_plus_one`: a 5-class model, class k is score k+1;
 * - `class_scores`: a multi-class model, `scores[k]` is the score of class k;
 * - `thresholds`: a single-output model, score = 1 + the number of thresholds <= the prediction;
 * - `probability_cutpoints`: the same for a probability, cutpoints strictly ascending in 0..1.
 */
export const ScoreMappingSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('class_plus_one') }),
  z.strictObject({ type: z.literal('class_scores'), scores: z.array(z.int().min(1).max(5)).min(2) }),
  z.strictObject({
    type: z.literal('thresholds'),
    thresholds: z.array(z.number()).length(4).refine(nonDecreasing, 'thresholds must be in ascending order'),
  }),
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
    /** The feature contract in model column order: spec objects, or bare names (any number, may be missing). */
    features: FeatureListJsonSchema,
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
    if (m.score_mapping.type === 'class_scores' && (!multi || m.score_mapping.scores.length !== m.num_class)) {
      ctx.addIssue({
        code: 'custom',
        path: ['score_mapping'],
        message: `class_scores needs a multi-class objective and one score per class (num_class ${m.num_class})`,
      });
    }
    if (m.score_mapping.type === 'thresholds' && m.objective === 'multi:softprob') {
      ctx.addIssue({
        code: 'custom',
        path: ['score_mapping'],
        message: 'thresholds need a single-output objective, not multi:softprob',
      });
    }
    if (m.score_mapping.type === 'probability_cutpoints' && !PROBABILITY_OBJECTIVES.includes(m.objective)) {
      ctx.addIssue({
        code: 'custom',
        path: ['score_mapping'],
        message: `probability_cutpoints needs an objective giving a probability (${PROBABILITY_OBJECTIVES.join(', ')})`,
      });
    }
    const names = m.features.map((f) => (typeof f === 'string' ? f : f.name));
    const missing = names.filter((f) => !(f in m.baseline.features));
    if (missing.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['baseline', 'features'],
        message: `no baseline for ${missing.join(', ')}`,
      });
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
