import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { readScorerConfig, type ScorerConfig } from '@lead-scoring/scoring-client';

/** A configuration variable is missing or malformed; the message starts with its name. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const EnvSchema = z.object({
  PORT: int(0, 65_535).optional(),
  WORKERS: int(1, 256).optional(),
  MAX_ROWS: int(1, 100_000).optional(),
  MAX_EXPLAIN_ROWS: int(1, 100_000).optional(),
  // API Gateway caps payloads at 10 MB and Lambda at 6 MB; 64 MiB bounds the local server.
  MAX_BODY_BYTES: int(64, 64 * 1024 * 1024).optional(),
  API_KEYS: z
    .string()
    .transform((s) => s.split(',').map((k) => k.trim()).filter((k) => k.length > 0))
    .pipe(z.array(z.string().min(16, 'each key must have at least 16 characters')).min(1, 'must list at least one key'))
    .optional(),
  MODEL_DIR: z.string().min(1).optional(),
  MODEL_S3_URI: z
    .string()
    .regex(/^s3:\/\/[a-z0-9.-]{3,63}(?:\/|$)/, 'must look like s3://bucket/prefix or s3://bucket/model.tar.gz')
    .optional(),
  MODEL_S3_ENDPOINT_URL: z.url({ protocol: /^https?$/ }).optional(),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).optional(),
  VALIDATION: z.enum(['lenient', 'strict'], { error: 'must be lenient or strict' }).optional(),
});

/** The API's configuration, typed. */
export interface ApiConfig {
  port: number;
  workers: number;
  maxRows: number;
  /** Most leads one request may ask reason codes for (`?explain=N`); more get 413 EXPLAIN_TOO_MANY_ROWS. */
  maxExplainRows: number;
  maxBodyBytes: number;
  apiKeys: string[];
  /** Where the model comes from, in precedence order: MODEL_S3_URI > MODEL_DIR > the bundled demo. */
  model: { kind: 's3'; uri: string; endpointUrl?: string } | { kind: 'dir'; dir: string } | { kind: 'demo' };
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** What a value outside its published range does: scored and flagged (`lenient`) or an invalid lead (`strict`). */
  validation: 'lenient' | 'strict';
  scorer: ScorerConfig;
}

/**
 * Reads the environment once at start-up and fails fast with the variable's name.
 * Precedence: environment > defaults (PORT 8080, WORKERS = available cores, MAX_ROWS 1000,
 * MAX_EXPLAIN_ROWS 1000, MAX_BODY_BYTES 1 MiB, no API keys, the bundled demo model, LOG_LEVEL INFO, VALIDATION lenient). The model source is
 * MODEL_S3_URI, else MODEL_DIR, else the demo bundle. Scorer variables (SCORER, SAGEMAKER_*) are
 * checked here too, through the scoring client's reader.
 *
 * @example
 * const cfg = loadConfig({ PORT: '9000', API_KEYS: 'key-aaaaaaaaaaaaaaaa' });
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const v = env[key]?.trim();
    picked[key] = v === undefined || v === '' ? undefined : v;
  }
  const parsed = EnvSchema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    const shown = variable === 'API_KEYS' ? '(hidden)' : JSON.stringify(picked[variable] ?? null);
    throw new ConfigError(variable, `${issue?.message ?? 'is invalid'} (got ${shown})`);
  }
  const e = parsed.data;
  let scorer: ScorerConfig;
  try {
    scorer = readScorerConfig(env);
  } catch (err) {
    const variable = (err as { variable?: string }).variable ?? 'SCORER';
    throw new ConfigError(variable, (err as Error).message.replace(`${variable}: `, ''));
  }
  const model: ApiConfig['model'] = e.MODEL_S3_URI
    ? { kind: 's3', uri: e.MODEL_S3_URI, ...(e.MODEL_S3_ENDPOINT_URL ? { endpointUrl: e.MODEL_S3_ENDPOINT_URL } : {}) }
    : e.MODEL_DIR
      ? { kind: 'dir', dir: e.MODEL_DIR }
      : { kind: 'demo' };
  return {
    port: e.PORT ?? 8080,
    workers: e.WORKERS ?? availableParallelism(),
    maxRows: e.MAX_ROWS ?? 1000,
    maxExplainRows: e.MAX_EXPLAIN_ROWS ?? 1000,
    maxBodyBytes: e.MAX_BODY_BYTES ?? 1024 * 1024,
    apiKeys: e.API_KEYS ?? [],
    model,
    logLevel: e.LOG_LEVEL ?? 'INFO',
    validation: e.VALIDATION ?? 'lenient',
    scorer,
  };
}
