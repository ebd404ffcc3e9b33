import { z } from 'zod';
import { envInt } from '@lead-scoring/env-config';
import { ConfigError } from './config';

const EnvSchema = z.object({
  METRICS: z.enum(['on', 'off']).optional(),
  LAKE: z.enum(['parquet', 'firehose', 'off']).optional(),
  LAKE_DIR: z.string().min(1).optional(),
  LAKE_SYNC: z.enum(['interval', 'always'], { error: 'must be interval or always' }).optional(),
  LAKE_SYNC_MS: envInt(1, 10_000).optional(),
  LAKE_REQUIRED: z.enum(['on', 'off'], { error: 'must be on or off' }).optional(),
  LAKE_PUBLISH_MS: envInt(0, 86_400_000).optional(),
  LAKE_RETENTION_DAYS: envInt(0, 36_500).optional(),
  FIREHOSE_STREAM_NAME: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,64}$/, 'must be a Firehose stream name (1-64 of a-z A-Z 0-9 _ . -)')
    .optional(),
  LAKE_FALLBACK_S3_URI: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:\/|$)/, 'must look like s3://bucket/prefix/')
    .optional(),
  LAKE_BUFFER_RECORDS: envInt(100, 10_000_000).optional(),
  LAKE_FLUSH_RECORDS: envInt(1, 100_000).optional(),
  LAKE_FLUSH_INTERVAL_MS: envInt(10, 3_600_000).optional(),
  LAKE_FLUSH_BUDGET_MS: envInt(0, 60_000).optional(),
  DRIFT_WINDOW: envInt(100, 1_000_000).optional(),
});

/** Observability settings of the API (environment only; defaults below). */
export interface ObservabilityConfig {
  /** `METRICS` on|off (default on): Prometheus /metrics locally, EMF in Lambda. */
  metrics: boolean;
  /** `LAKE` parquet|firehose|off. Default: parquet locally; in Lambda firehose when FIREHOSE_STREAM_NAME is set, else off. */
  lake: 'parquet' | 'firehose' | 'off';
  /** `LAKE_DIR` (default ./var/lake): root of the local Parquet lake, its spool and its temporary files. */
  lakeDir: string;
  /**
   * `LAKE_SYNC` interval|always (default interval) and `LAKE_SYNC_MS` (default 20): the spool is fsynced every
   * LAKE_SYNC_MS off the request path, or (`always`) before each answer, concurrent requests sharing one fsync.
   */
  lakeSync: 'interval' | 'always';
  lakeSyncMs: number;
  /** `LAKE_REQUIRED` on|off (default on): off scores leads the spool cannot record (logged and counted) instead of 503. */
  lakeRequired: boolean;
  /** `LAKE_PUBLISH_MS` (default 300,000): the longest a lead waits in the spool before it is in a lake file. */
  lakePublishMs: number;
  /** `LAKE_RETENTION_DAYS` (default 30; 0 keeps everything): day partitions older than this are removed. */
  lakeRetentionDays: number;
  /** `FIREHOSE_STREAM_NAME`: required when LAKE=firehose. */
  firehoseStream: string | undefined;
  /** `LAKE_FALLBACK_S3_URI` (Lambda): where records Firehose still refuses after the retries go, e.g. `s3://<lake bucket>/_failed/`. */
  fallbackS3Uri: string | undefined;
  /** Lambda: `LAKE_BUFFER_RECORDS` (default 50,000): records held per process before new ones are dropped (and counted). */
  bufferRecords: number;
  /** Lambda: `LAKE_FLUSH_RECORDS` (default 10,000) and `LAKE_FLUSH_INTERVAL_MS` (default 2,000): flush thresholds of the buffered writer. */
  flushRecords: number;
  flushIntervalMs: number;
  /** `LAKE_FLUSH_BUDGET_MS` (default 1,500): Lambda time spent flushing before returning. */
  flushBudgetMs: number;
  /** `DRIFT_WINDOW` (default 10,000): rows in the drift sliding window. */
  driftWindow: number;
}

/**
 * Reads the observability variables once at start-up; throws ConfigError naming the variable.
 * Precedence: environment > default (no flags).
 *
 * @example
 * const obs = loadObservabilityConfig(process.env, 'local');
 */
export function loadObservabilityConfig(env: NodeJS.ProcessEnv, runtime: 'local' | 'lambda'): ObservabilityConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? 'environment'), issue?.message ?? 'is invalid');
  }
  const e = parsed.data;
  const lake = e.LAKE ?? (runtime === 'local' ? 'parquet' : e.FIREHOSE_STREAM_NAME ? 'firehose' : 'off');
  if (lake === 'firehose' && !e.FIREHOSE_STREAM_NAME)
    throw new ConfigError('FIREHOSE_STREAM_NAME', 'is required when LAKE=firehose');
  return {
    metrics: (e.METRICS ?? 'on') === 'on',
    lake,
    lakeDir: e.LAKE_DIR ?? './var/lake',
    lakeSync: e.LAKE_SYNC ?? 'interval',
    lakeSyncMs: e.LAKE_SYNC_MS ?? 20,
    lakeRequired: (e.LAKE_REQUIRED ?? 'on') === 'on',
    lakePublishMs: e.LAKE_PUBLISH_MS ?? 300_000,
    lakeRetentionDays: e.LAKE_RETENTION_DAYS ?? 30,
    firehoseStream: e.FIREHOSE_STREAM_NAME,
    fallbackS3Uri: e.LAKE_FALLBACK_S3_URI,
    bufferRecords: e.LAKE_BUFFER_RECORDS ?? 50_000,
    flushRecords: e.LAKE_FLUSH_RECORDS ?? 10_000,
    flushIntervalMs: e.LAKE_FLUSH_INTERVAL_MS ?? 2_000,
    flushBudgetMs: e.LAKE_FLUSH_BUDGET_MS ?? 1_500,
    driftWindow: e.DRIFT_WINDOW ?? 10_000,
  };
}
