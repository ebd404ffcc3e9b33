import { z } from 'zod';
import { hasLoneSurrogate, MAX_LEAD_ID_LENGTH } from './check-value';
import type { FeatureContract } from './contract';
import type { FeatureSpec } from './feature-spec';
import type { ValidationPolicy } from './lead-validator';

/** The published range of a feature as text, e.g. `1..4`, `>= 0`, `any`. */
export function rangeLabel(spec: FeatureSpec): string {
  const lo = Number.isFinite(spec.min);
  const hi = Number.isFinite(spec.max);
  if (lo && hi) return `${spec.min}..${spec.max}`;
  if (lo) return `>= ${spec.min}`;
  return hi ? `<= ${spec.max}` : 'any';
}

/**
 * The zod schema of one feature value under a policy. `strict`: a finite number inside the range (a whole
 * number where `integer`); `lenient`: any finite number (out-of-range values are scored and flagged).
 * `null` where missing is allowed.
 *
 * @example
 * featureValueSchema({ ...spec, min: 1, max: 4 }, 'strict').safeParse(0).success; // false
 */
export function featureValueSchema(spec: FeatureSpec, policy: ValidationPolicy = 'lenient'): z.ZodType<number | null> {
  let num: z.ZodNumber = z.number();
  if (policy === 'strict') {
    if (spec.integer) num = z.int();
    if (Number.isFinite(spec.min)) num = num.min(spec.min);
    if (Number.isFinite(spec.max)) num = num.max(spec.max);
  }
  const rules = `${spec.unit ? `${spec.unit}, ` : ''}${rangeLabel(spec)}${spec.integer ? ', whole number' : ''}`;
  const text = `${spec.description ? `${spec.description} ` : ''}(${rules})`.trim();
  const schema: z.ZodType<number | null> = spec.allowMissing ? num.nullable() : num;
  return schema.meta({ description: text });
}

/** The request schemas of one contract; they describe a valid lead (invalid ones get a per-lead error). */
export interface RequestSchemas {
  /** One row of the array form: exactly `size` values in column order, `null` = missing. */
  readonly FeatureRowSchema: z.ZodType<(number | null)[]>;
  readonly RowsScoreRequestSchema: z.ZodType<(number | null)[][]>;
  readonly NamedFeaturesSchema: z.ZodType<Record<string, number | null | undefined>>;
  readonly NamedLeadSchema: z.ZodType<NamedLead>;
  readonly NamedScoreRequestSchema: z.ZodType<{ leads: NamedLead[] }>;
  readonly ScoreRequestSchema: z.ZodType<(number | null)[][] | { leads: NamedLead[] }>;
}

/** One lead of the named form. */
export interface NamedLead {
  lead_id?: string | undefined;
  features: Record<string, number | null | undefined>;
}

/** The `lead_id` of the named form: 1 to 128 UTF-16 units of well-formed Unicode. */
export const LeadIdSchema = z
  .string()
  .min(1)
  .max(MAX_LEAD_ID_LENGTH)
  .refine((s) => !hasLoneSurrogate(s), 'must be well-formed Unicode (no lone surrogate)')
  .meta({
    description:
      "Caller's id, echoed in the result and written to the lake: 1 to 128 UTF-16 units of well-formed Unicode.",
  });

/**
 * The zod request schemas of a contract under a policy: what the fast validator accepts, lead by lead.
 *
 * @example
 * requestSchemas(contract).NamedLeadSchema.safeParse({ features: { web_visits_30d: 3 } }).success;
 */
export function requestSchemas(contract: FeatureContract, policy: ValidationPolicy = 'lenient'): RequestSchemas {
  const n = contract.size;
  const values = contract.features.map((s) => featureValueSchema(s, policy));
  const FeatureRowSchema = z.tuple(values as [z.ZodType<number | null>, ...z.ZodType<number | null>[]]).meta({
    id: 'FeatureRow',
    minItems: n,
    maxItems: n,
    description: `Exactly ${n} values in feature column order; null = missing.`,
  });
  const RowsScoreRequestSchema = z
    .array(FeatureRowSchema)
    .min(1)
    .meta({ id: 'RowsScoreRequest', description: 'A non-empty array of rows (at most 1,000 by default).' });
  const NamedFeaturesSchema = z
    .strictObject(
      Object.fromEntries(
        contract.features.map((s, j) => [s.name, s.allowMissing ? values[j]!.optional() : values[j]!]),
      ),
    )
    .meta({
      id: 'NamedFeatures',
      description:
        'Feature values by name; an absent name is missing (so features that may not be missing are required), an unknown name is an error.',
    });
  const NamedLeadSchema = z
    .strictObject({ lead_id: LeadIdSchema.optional(), features: NamedFeaturesSchema })
    .meta({ id: 'NamedLead' });
  const NamedScoreRequestSchema = z
    .strictObject({
      leads: z
        .array(NamedLeadSchema)
        .min(1)
        .meta({ description: 'A non-empty array of leads (at most 1,000 by default).' }),
    })
    .meta({ id: 'NamedScoreRequest' });
  const ScoreRequestSchema = z.union([RowsScoreRequestSchema, NamedScoreRequestSchema]).meta({ id: 'ScoreRequest' });
  return {
    FeatureRowSchema: FeatureRowSchema as unknown as z.ZodType<(number | null)[]>,
    RowsScoreRequestSchema: RowsScoreRequestSchema as unknown as z.ZodType<(number | null)[][]>,
    NamedFeaturesSchema: NamedFeaturesSchema as unknown as z.ZodType<Record<string, number | null | undefined>>,
    NamedLeadSchema: NamedLeadSchema as unknown as z.ZodType<NamedLead>,
    NamedScoreRequestSchema: NamedScoreRequestSchema as unknown as z.ZodType<{ leads: NamedLead[] }>,
    ScoreRequestSchema: ScoreRequestSchema as unknown as z.ZodType<(number | null)[][] | { leads: NamedLead[] }>,
  };
}
