import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { envInt } from '@lead-scoring/env-config';
import { ModelServerError } from './errors';

const port = envInt(0, 65_535);

/** SageMaker's real-time payload limit, MB: the body limit unless a batch transform job sets another. */
export const REAL_TIME_PAYLOAD_MB = 6;
/** The largest MaxPayloadInMB a batch transform job may set (SageMaker's own maximum). */
export const MAX_BATCH_PAYLOAD_MB = 100;

const EnvSchema = z.object({
  SAGEMAKER_BIND_TO_PORT: port.optional(),
  PORT: port.optional(),
  HOST: z.string().min(1).default('0.0.0.0'),
  SM_MODEL_DIR: z.string().min(1).default('/opt/ml/model'),
  SHADOW_MODEL_DIR: z.string().min(1).optional(),
  MODEL_RELOAD_INTERVAL_MS: z
    .string()
    .regex(/^\d+$/, 'must be a whole number of ms (0 = no reload)')
    .transform(Number)
    .default(1000),
  MAX_CONCURRENT_TRANSFORMS: z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive whole number')
    .transform(Number)
    .optional(),
  METRICS: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  LOG_LEVEL: z
    .enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'], { error: 'must be DEBUG, INFO, WARN, ERROR or SILENT' })
    .default('INFO'),
  SAGEMAKER_MAX_PAYLOAD_IN_MB: envInt(0, MAX_BATCH_PAYLOAD_MB).optional(),
});

/** The model server's configuration. */
export interface ModelServerConfig {
  port: number;
  host: string;
  modelDir: string;
  reloadIntervalMs: number;
  maxConcurrentTransforms: number;
  /** `METRICS` on|off: Prometheus text at `GET /metrics` and per-request recording. */
  metrics: boolean;
  /** `LOG_LEVEL`: the least severe log level written (JSON lines by Powertools Logger), INFO by default. */
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** `SHADOW_MODEL_DIR`: a shadow model scored after each answer, compared in the metrics (needs METRICS=on). */
  shadowModelDir: string | undefined;
  /**
   * The largest body `/invocations` accepts, MB: the batch transform job's MaxPayloadInMB, which SageMaker passes
   * to the container as `SAGEMAKER_MAX_PAYLOAD_IN_MB`; 6 (real-time) when unset or 0.
   */
  maxPayloadMb: number;
}

/**
 * Reads the configuration from the environment once, at start-up. Precedence for the port:
 * `SAGEMAKER_BIND_TO_PORT` (set by SageMaker) > `PORT` > 8080. `SM_MODEL_DIR` defaults to `/opt/ml/model`,
 * `MODEL_RELOAD_INTERVAL_MS` to 1000 (0 turns hot reload off), `HOST` to 0.0.0.0,
 * `METRICS` (on|off) to on, `SAGEMAKER_MAX_PAYLOAD_IN_MB` (0-100, set by SageMaker for batch transform) to 6.
 * Throws `ModelServerError` CONFIG_INVALID naming the variable.
 *
 * @example
 * const cfg = readConfig({ PORT: '8081', SM_MODEL_DIR: 'models/demo' });
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ModelServerConfig {
  const picked = Object.fromEntries(Object.keys(EnvSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = EnvSchema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? '?');
    throw new ModelServerError(
      'CONFIG_INVALID',
      `${name}: ${issue?.message ?? 'invalid'} (got ${JSON.stringify(env[name] ?? null)})`,
    );
  }
  const e = parsed.data;
  return {
    port: e.SAGEMAKER_BIND_TO_PORT ?? e.PORT ?? 8080,
    host: e.HOST,
    modelDir: e.SM_MODEL_DIR,
    reloadIntervalMs: e.MODEL_RELOAD_INTERVAL_MS,
    maxConcurrentTransforms: e.MAX_CONCURRENT_TRANSFORMS ?? availableParallelism(),
    metrics: e.METRICS === 'on',
    logLevel: e.LOG_LEVEL,
    shadowModelDir: e.SHADOW_MODEL_DIR,
    maxPayloadMb: e.SAGEMAKER_MAX_PAYLOAD_IN_MB || REAL_TIME_PAYLOAD_MB,
  };
}
