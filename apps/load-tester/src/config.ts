import { z } from 'zod';
import type { FeatureSpec } from '@lead-scoring/feature-schema';
import { LoadTestError } from './errors';
import type { BodyFormat } from './payload/bodies';
import type { Slo } from './slo';
import type { Segment } from './stages';

/** Where requests go. */
export type TargetConfig =
  | { kind: 'http'; url: string; apiKey?: string }
  | { kind: 'sagemaker'; endpointName: string; region: string; endpointUrl?: string }
  | { kind: 'lambda'; handlerPath: string; apiKey?: string };

/** Everything a run needs, plain data so it can be posted to worker threads. */
export interface RunConfig {
  model: 'open' | 'closed';
  /** Levels in req/s (open model) or users (closed model). */
  segments: Segment[];
  target: TargetConfig;
  rows: number;
  /** The target model's features (its bundle's manifest): generated leads follow them. */
  features: FeatureSpec[];
  format: BodyFormat;
  seed: number;
  invalidRatio: number;
  workers: number;
  thinkTimeMs: number;
  timeoutMs: number;
  lateThresholdMs: number;
  maxLateRatio: number;
  maxSockets: number;
  /** `raw`: pre-encoded requests on raw keep-alive sockets (default, http: only); `node`: node:http Agent. */
  httpClient: 'raw' | 'node';
  slos: Slo[];
  reportJson?: string;
  reportHtml?: string;
  live: boolean;
}

const EnvSchema = z.object({
  LOAD_TEST_API_KEY: z.string().min(1).optional(),
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}-[a-z-]+-\d$/, 'must look like eu-west-1')
    .optional(),
  AWS_DEFAULT_REGION: z
    .string()
    .regex(/^[a-z]{2}-[a-z-]+-\d$/, 'must look like eu-west-1')
    .optional(),
});

/** The environment variables the load tester reads. */
export type LoadTestEnv = z.infer<typeof EnvSchema>;

/**
 * Reads the environment once at start-up. Precedence everywhere: flag > environment > default
 * (`--api-key` > `LOAD_TEST_API_KEY`; `--region` > `AWS_REGION` > `AWS_DEFAULT_REGION` > us-east-1).
 * A malformed value is a usage error naming the variable.
 *
 * @example
 * readEnv({ LOAD_TEST_API_KEY: 'k' }).LOAD_TEST_API_KEY; // 'k'
 */
export function readEnv(env: NodeJS.ProcessEnv): LoadTestEnv {
  const parsed = EnvSchema.safeParse({
    LOAD_TEST_API_KEY: env['LOAD_TEST_API_KEY'] || undefined,
    AWS_REGION: env['AWS_REGION'] || undefined,
    AWS_DEFAULT_REGION: env['AWS_DEFAULT_REGION'] || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LoadTestError(
      'INVALID_ENV',
      `environment variable ${String(issue?.path[0])}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
