import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { envInt } from '@lead-scoring/env-config';
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

const EnvSchema = z.object({
  PORT: envInt(0, 65_535).optional(),
  WORKERS: envInt(1, 256).optional(),
  MAX_ROWS: envInt(1, 100_000).optional(),
  MAX_EXPLAIN_ROWS: envInt(1, 100_000).optional(),
  // API Gateway caps payloads at 10 MB and Lambda at 6 MB; 64 MiB bounds the local server.
  MAX_BODY_BYTES: envInt(64, 64 * 1024 * 1024).optional(),
  API_KEYS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k.length > 0),
    )
    .pipe(z.array(z.string().min(16, 'each key must have at least 16 characters')).min(1, 'must list at least one key'))
    .optional(),
  MODEL_DIR: z.string().min(1).optional(),
  MODEL_S3_URI: z
    .string()
    .regex(/^s3:\/\/[a-z0-9.-]{3,63}(?:\/|$)/, 'must look like s3://bucket/prefix or s3://bucket/model.tar.gz')
    .optional(),
  MODEL_S3_ENDPOINT_URL: z.url({ protocol: /^https?$/ }).optional(),
  SHADOW_MODEL_DIR: z.string().min(1).optional(),
  SHADOW_MODEL_S3_URI: z
    .string()
    .regex(/^s3:\/\/[a-z0-9.-]{3,63}(?:\/|$)/, 'must look like s3://bucket/prefix or s3://bucket/model.tar.gz')
    .optional(),
  SHADOW_QUEUE_LEADS: envInt(1, 10_000_000).optional(),
  SHADOW_MAX_LAG_MS: envInt(1, 600_000).optional(),
  SHADOW_TIMEOUT_MS: envInt(1, 600_000).optional(),
  SHADOW_RELOAD_MS: envInt(0, 3_600_000).optional(),
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
  /** The shadow (challenger) model: scored after each answer, recorded beside production. */
  shadow: ShadowConfig;
}

/** Where a bundle comes from, other than the bundled demo. */
export type BundleSource = { kind: 's3'; uri: string; endpointUrl?: string } | { kind: 'dir'; dir: string };

/** The shadow model's settings. */
export interface ShadowConfig {
  /** SHADOW_MODEL_S3_URI > SHADOW_MODEL_DIR; null: no shadow model. */
  source: BundleSource | null;
  /** SHADOW_QUEUE_LEADS (default 10,000): leads waiting for the shadow model at most; more are skipped and counted. */
  queueLeads: number;
  /** SHADOW_MAX_LAG_MS (default 1,000): a request that waited longer is skipped (`lag`). */
  maxLagMs: number;
  /** SHADOW_TIMEOUT_MS (default 1,000): a shadow batch not done by then is given up (`timeout`); in Lambda, also the wait before the lake flush. */
  timeoutMs: number;
  /** SHADOW_RELOAD_MS (default 1,000; 0 = never): how often the local server looks for a new bundle in SHADOW_MODEL_DIR. */
  reloadMs: number;
}

/**
 * Reads the environment once at start-up and fails fast with the variable's name.
 * Precedence: environment > defaults (PORT 8080, WORKERS = available cores, MAX_ROWS 1000,
 * MAX_EXPLAIN_ROWS 1000, MAX_BODY_BYTES 1 MiB, no API keys, the bundled demo model, LOG_LEVEL INFO, VALIDATION lenient). The model source is
 * MODEL_S3_URI, else MODEL_DIR, else the demo bundle; the shadow model's is SHADOW_MODEL_S3_URI, else
 * SHADOW_MODEL_DIR, else none (SHADOW_* settings in {@link ShadowConfig}). Scorer variables (SCORER, SAGEMAKER_*)
 * are checked here too, through the scoring client's reader.
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
  const endpointUrl = e.MODEL_S3_ENDPOINT_URL ? { endpointUrl: e.MODEL_S3_ENDPOINT_URL } : {};
  const shadowSource: BundleSource | null = e.SHADOW_MODEL_S3_URI
    ? { kind: 's3', uri: e.SHADOW_MODEL_S3_URI, ...endpointUrl }
    : e.SHADOW_MODEL_DIR
      ? { kind: 'dir', dir: e.SHADOW_MODEL_DIR }
      : null;
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
    shadow: {
      source: shadowSource,
      queueLeads: e.SHADOW_QUEUE_LEADS ?? 10_000,
      maxLagMs: e.SHADOW_MAX_LAG_MS ?? 1_000,
      timeoutMs: e.SHADOW_TIMEOUT_MS ?? 1_000,
      reloadMs: e.SHADOW_RELOAD_MS ?? 1_000,
    },
  };
}
