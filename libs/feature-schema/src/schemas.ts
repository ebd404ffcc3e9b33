import { z } from 'zod';
import { FEATURES, NUM_FEATURES, type FeatureSpec } from './features';
import { hasLoneSurrogate, MAX_LEAD_ID_LENGTH } from './check-value';

/**
 * The zod schema of one feature value: a finite number inside the feature's range
 * (a whole number where `integer`), or `null` where missing is allowed.
 *
 * @example
 * featureValueSchema(FEATURES[0]).safeParse(120).success; // true
 */
export function featureValueSchema(spec: FeatureSpec): z.ZodType<number | null> {
  let num = spec.integer ? z.int() : z.number();
  num = num.min(spec.min).max(spec.max);
  const described = (s: z.ZodType<number | null>) =>
    s.meta({ description: `${spec.description} (${spec.unit}, ${spec.min}..${spec.max})` });
  return spec.allowMissing ? described(num.nullable()) : described(num);
}

const valueSchemas = FEATURES.map(featureValueSchema);

/** One row of the array form: exactly 50 values in manifest order, `null` = missing. */
export const FeatureRowSchema = z
  .tuple(valueSchemas as [z.ZodType<number | null>, ...z.ZodType<number | null>[]])
  .meta({ id: 'FeatureRow', minItems: NUM_FEATURES, maxItems: NUM_FEATURES, description: `Exactly ${NUM_FEATURES} values in feature manifest order; null = missing.` });

/** The array form (the seed's): a non-empty JSON array of rows. */
export const RowsScoreRequestSchema = z
  .array(FeatureRowSchema)
  .min(1)
  .meta({ id: 'RowsScoreRequest', description: 'A non-empty array of rows (at most 1,000 by default).' });

/** The features of one named lead: any subset of the manifest names; an absent name is missing. */
export const NamedFeaturesSchema = z
  .strictObject(Object.fromEntries(FEATURES.map((s) => [s.name, s.allowMissing ? featureValueSchema(s).optional() : featureValueSchema(s)])))
  .meta({
    id: 'NamedFeatures',
    description: 'Feature values by name; an absent name is missing (so features that may not be missing are required), an unknown name is an error.',
  });

/** One lead of the named form. */
export const NamedLeadSchema = z
  .strictObject({
    lead_id: z
      .string()
      .min(1)
      .max(MAX_LEAD_ID_LENGTH)
      .refine((s) => !hasLoneSurrogate(s), 'must be well-formed Unicode (no lone surrogate)')
      .optional()
      .meta({ description: 'Caller\'s id, echoed in the result and written to the lake: 1 to 128 UTF-16 units of well-formed Unicode.' }),
    features: NamedFeaturesSchema,
  })
  .meta({ id: 'NamedLead' });

/** The named form: `{"leads": [{"lead_id"?, "features": {name: value}}]}`. */
export const NamedScoreRequestSchema = z
  .strictObject({
    leads: z.array(NamedLeadSchema).min(1).meta({ description: 'A non-empty array of leads (at most 1,000 by default).' }),
  })
  .meta({ id: 'NamedScoreRequest' });

/** The POST /score body: either the array form or the named form. */
export const ScoreRequestSchema = z.union([RowsScoreRequestSchema, NamedScoreRequestSchema]).meta({ id: 'ScoreRequest' });

/** A reason code: a feature's signed TreeSHAP contribution to the predicted class. */
export const ReasonSchema = z.strictObject({
  feature: z.string(),
  value: z.number().nullable(),
  contribution: z.number(),
}).meta({ id: 'Reason' });

/** The scored outcome of one lead. */
export const ScoreResultSchema = z.strictObject({
  lead_id: z.string().optional(),
  score: z.int().min(1).max(5).meta({ description: '1 (coldest) .. 5 (hottest).' }),
  probabilities: z
    .array(z.number().min(0).max(1))
    .min(5)
    .max(5)
    .optional()
    .meta({ description: 'Class probabilities of a 5-class model, score 1..5 in order.' }),
  probability: z.number().min(0).max(1).optional().meta({ description: 'Probability of a binary model.' }),
  reasons: z.array(ReasonSchema).optional().meta({ description: 'Strongest reason codes, with ?explain=N.' }),
  degraded: z.boolean().optional().meta({ description: 'True when a fallback scorer answered.' }),
}).meta({ id: 'ScoreResult' });

const ms = z.number().nonnegative();

/** The POST /score 200 body; results are in request order. */
export const ScoreResponseSchema = z.strictObject({
  request_id: z.string(),
  model: z.strictObject({ name: z.string(), version: z.string() }),
  results: z.array(ScoreResultSchema),
  latency_ms: z.strictObject({ total: ms, validation: ms, model: ms }),
}).meta({ id: 'ScoreResponse' });

/** One problem with the request; `row` is 0-based in request order. */
export const ErrorDetailSchema = z.strictObject({
  row: z.int().nonnegative().optional(),
  feature: z.string().optional(),
  problem: z.string(),
}).meta({ id: 'ErrorDetail' });

/** Every 4xx/5xx body. */
export const ErrorResponseSchema = z.strictObject({
  error: z.strictObject({
    code: z.string().meta({ description: 'Stable machine-readable code, e.g. INVALID_JSON.' }),
    message: z.string(),
    details: z.array(ErrorDetailSchema).optional(),
  }),
}).meta({ id: 'ErrorResponse' });

/** GET /health and GET /ready bodies. */
export const HealthResponseSchema = z.object({
  status: z.enum(['ok', 'ready', 'not_ready']),
  model: z.object({ name: z.string(), version: z.string() }).optional(),
}).meta({ id: 'HealthResponse' });

export type FeatureRow = z.infer<typeof FeatureRowSchema>;
export type RowsScoreRequest = z.infer<typeof RowsScoreRequestSchema>;
export type NamedScoreRequest = z.infer<typeof NamedScoreRequestSchema>;
export type NamedLead = z.infer<typeof NamedLeadSchema>;
export type ScoreRequest = z.infer<typeof ScoreRequestSchema>;
export type Reason = z.infer<typeof ReasonSchema>;
export type ScoreResult = z.infer<typeof ScoreResultSchema>;
export type ScoreResponse = z.infer<typeof ScoreResponseSchema>;
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
