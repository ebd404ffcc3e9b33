import { z } from 'zod';
import { envInt } from '@lead-scoring/env-config';
import { ScoringConfigError } from './errors';

const intIn = (min: number, max: number, fallback: number) =>
  envInt(min, max)
    .optional()
    .transform((v) => v ?? fallback);

// SageMaker endpoint names: 1-63 letters, digits and hyphens, starting and ending with a letter or digit.
const ENDPOINT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$/;

const EnvSchema = z.object({
  SCORER: z.enum(['inprocess', 'sagemaker']).default('inprocess'),
  SCORER_FALLBACK: z.enum(['inprocess', 'none']).default('none'),
  SAGEMAKER_ENDPOINT_NAME: z
    .string()
    .regex(ENDPOINT_NAME, 'must be a SageMaker endpoint name (1-63 letters, digits, hyphens)')
    .refine((s) => !s.endsWith('-'), 'must not end with a hyphen')
    .optional(),
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}-[a-z-]+-\d{1,2}$/, 'must be an AWS region such as us-east-1')
    .optional(),
  SAGEMAKER_ENDPOINT_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:8081' })
    .optional(),
  SAGEMAKER_TIMEOUT_MS: intIn(10, 60_000, 800),
  SAGEMAKER_MAX_RETRIES: intIn(0, 5, 2),
  SAGEMAKER_BREAKER_FAILURES: intIn(1, 1000, 5),
  SAGEMAKER_BREAKER_HALF_OPEN_MS: intIn(10, 600_000, 5_000),
});

/** The scorer configuration, typed, after validation. */
export interface ScorerConfig {
  scorer: 'inprocess' | 'sagemaker';
  fallback: 'inprocess' | 'none';
  sagemaker?: {
    endpointName: string;
    region: string;
    endpointUrl?: string;
    /** Whole-call deadline including retries, ms. */
    timeoutMs: number;
    maxRetries: number;
    breakerFailures: number;
    breakerHalfOpenMs: number;
  };
}

const pickEnv = (env: NodeJS.ProcessEnv): Record<string, string | undefined> => {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const v = env[key];
    out[key] = v === undefined || v.trim() === '' ? undefined : v.trim();
  }
  // The SDK itself honours AWS_DEFAULT_REGION too; accept it so both spellings behave the same.
  out['AWS_REGION'] ??= env['AWS_DEFAULT_REGION']?.trim() || undefined;
  return out;
};

/**
 * Reads and validates the scorer configuration from the environment, once, at start-up.
 * Precedence: the environment, else the defaults (SCORER=inprocess, SCORER_FALLBACK=none,
 * SAGEMAKER_TIMEOUT_MS=800, SAGEMAKER_MAX_RETRIES=2, SAGEMAKER_BREAKER_FAILURES=5, SAGEMAKER_BREAKER_HALF_OPEN_MS=5000).
 * Throws a {@link ScoringConfigError} naming the first variable at fault.
 *
 * @example
 * const cfg = readScorerConfig({ SCORER: 'sagemaker', SAGEMAKER_ENDPOINT_NAME: 'lead-scoring', AWS_REGION: 'eu-west-1' });
 */
export function readScorerConfig(env: NodeJS.ProcessEnv = process.env): ScorerConfig {
  const parsed = EnvSchema.safeParse(pickEnv(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'SCORER');
    throw new ScoringConfigError(
      variable,
      `${issue?.message ?? 'invalid'} (got ${JSON.stringify(env[variable] ?? null)})`,
    );
  }
  const e = parsed.data;
  if (e.SCORER === 'inprocess') return { scorer: 'inprocess', fallback: e.SCORER_FALLBACK };
  if (!e.SAGEMAKER_ENDPOINT_NAME)
    throw new ScoringConfigError('SAGEMAKER_ENDPOINT_NAME', 'is required when SCORER=sagemaker');
  if (!e.AWS_REGION) throw new ScoringConfigError('AWS_REGION', 'is required when SCORER=sagemaker');
  return {
    scorer: 'sagemaker',
    fallback: e.SCORER_FALLBACK,
    sagemaker: {
      endpointName: e.SAGEMAKER_ENDPOINT_NAME,
      region: e.AWS_REGION,
      ...(e.SAGEMAKER_ENDPOINT_URL ? { endpointUrl: e.SAGEMAKER_ENDPOINT_URL } : {}),
      timeoutMs: e.SAGEMAKER_TIMEOUT_MS,
      maxRetries: e.SAGEMAKER_MAX_RETRIES,
      breakerFailures: e.SAGEMAKER_BREAKER_FAILURES,
      breakerHalfOpenMs: e.SAGEMAKER_BREAKER_HALF_OPEN_MS,
    },
  };
}
