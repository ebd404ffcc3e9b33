import { z } from 'zod';
import { LeadIdSchema } from './schemas';

/** A reason code: a feature's signed TreeSHAP contribution to the predicted class (or the positive class). */
export const ReasonSchema = z
  .strictObject({ feature: z.string(), value: z.number().nullable(), contribution: z.number() })
  .meta({ id: 'Reason' });

/** A flagged value of a scored lead: outside its published range, or a fraction where a whole number is published. */
export const WarningSchema = z
  .strictObject({
    feature: z.string(),
    code: z.enum(['OUT_OF_RANGE', 'NOT_WHOLE_NUMBER']),
    problem: z.string(),
  })
  .meta({ id: 'Warning' });

/** One problem with a request or a lead; `row` is the lead's 0-based position in the request. */
export const ErrorDetailSchema = z
  .strictObject({ row: z.int().nonnegative().optional(), feature: z.string().optional(), problem: z.string() })
  .meta({ id: 'ErrorDetail' });

/** Why one lead of a batch was not scored. */
export const LeadErrorSchema = z
  .strictObject({
    code: z.string().meta({ description: 'INVALID_LEAD.' }),
    message: z.string(),
    details: z.array(ErrorDetailSchema).optional(),
  })
  .meta({ id: 'LeadError' });

/** A scored lead. */
export const ScoredResultSchema = z
  .strictObject({
    lead_id: LeadIdSchema.optional(),
    score: z.int().min(1).max(5).meta({ description: '1 (coldest) .. 5 (hottest).' }),
    probabilities: z
      .array(z.number().min(0).max(1))
      .min(2)
      .optional()
      .meta({ description: 'Class probabilities of a multi-class model, in class order.' }),
    probability: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .meta({ description: 'Probability of a binary model (or reg:logistic).' }),
    prediction: z.number().optional().meta({
      description:
        "The model's prediction, for other single-output objectives (regression, counts, multi:softmax's class).",
    }),
    reasons: z.array(ReasonSchema).optional().meta({ description: 'Strongest reason codes, with ?explain=N.' }),
    warnings: z
      .array(WarningSchema)
      .optional()
      .meta({ description: 'Values scored although outside what the model publishes (lenient validation).' }),
    degraded: z.boolean().optional().meta({ description: 'True when a fallback scorer answered.' }),
  })
  .meta({ id: 'ScoredResult' });

/** A lead of the batch that could not be scored; the others are. */
export const RejectedResultSchema = z
  .strictObject({ lead_id: LeadIdSchema.optional(), error: LeadErrorSchema })
  .meta({ id: 'RejectedResult' });

/** The outcome of one lead. */
export const ScoreResultSchema = z.union([ScoredResultSchema, RejectedResultSchema]).meta({ id: 'ScoreResult' });

const ms = z.number().nonnegative();

/** The POST /score 200 body; one result per lead, in request order. */
export const ScoreResponseSchema = z
  .strictObject({
    request_id: z.string(),
    model: z.strictObject({ name: z.string(), version: z.string() }),
    results: z.array(ScoreResultSchema),
    latency_ms: z.strictObject({ total: ms, validation: ms, model: ms }),
  })
  .meta({ id: 'ScoreResponse' });

/** Every 4xx/5xx body. */
export const ErrorResponseSchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string().meta({ description: 'Stable machine-readable code, e.g. INVALID_JSON.' }),
      message: z.string(),
      details: z.array(ErrorDetailSchema).optional(),
    }),
  })
  .meta({ id: 'ErrorResponse' });

/** GET /health and GET /ready bodies. */
export const HealthResponseSchema = z
  .object({
    status: z.enum(['ok', 'ready', 'not_ready']),
    model: z.object({ name: z.string(), version: z.string() }).optional(),
  })
  .meta({ id: 'HealthResponse' });

export type Reason = z.infer<typeof ReasonSchema>;
export type Warning = z.infer<typeof WarningSchema>;
export type ScoredResult = z.infer<typeof ScoredResultSchema>;
export type RejectedResult = z.infer<typeof RejectedResultSchema>;
export type ScoreResult = z.infer<typeof ScoreResultSchema>;
export type ScoreResponse = z.infer<typeof ScoreResponseSchema>;
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
