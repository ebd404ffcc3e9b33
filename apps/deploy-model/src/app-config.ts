import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DeployError } from './errors';

const RELATIVE_ENVIRONMENTS = path.join('apps', 'deploy-model', 'config', 'environments.json');

const EnvSchema = z.object({
  DEPLOY_MODEL_ENVIRONMENTS: z.string().min(1).optional(),
  DEPLOY_MODEL_POLL_SECONDS: z.coerce.number().positive().max(300).optional(),
  SOURCE_DATE_EPOCH: z.coerce.number().int().nonnegative().max(253402300799).optional(),
});

/** Settings of the CLI process itself (not of a deployment environment). */
export interface AppConfig {
  /** The environments file to read. */
  readonly environmentsFile: string;
  /** Seconds between two DescribeEndpoint calls while waiting. */
  readonly pollSeconds: number;
  /** SOURCE_DATE_EPOCH (seconds since 1970): the time `init` writes as created_at, for reproducible bundles. */
  readonly sourceDateEpoch: number | undefined;
}

/** Finds the checked-in environments file by walking up from this module (works from src/ and from dist/). */
export function defaultEnvironmentsFile(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, RELATIVE_ENVIRONMENTS);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a fixed relative path under our own ancestors
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(RELATIVE_ENVIRONMENTS);
    dir = parent;
  }
}

/**
 * Reads the CLI's configuration once at start-up. Precedence: flag > environment variable > default
 * (`--config` > `DEPLOY_MODEL_ENVIRONMENTS` > the checked-in apps/deploy-model/config/environments.json;
 * `DEPLOY_MODEL_POLL_SECONDS` > 15; `SOURCE_DATE_EPOCH` > the current time). A malformed variable fails fast, naming it.
 *
 * @example readAppConfig({ configFlag: undefined }, process.env).pollSeconds // 15
 */
export function readAppConfig(
  flags: { configFlag?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): AppConfig {
  const parsed = EnvSchema.safeParse({
    DEPLOY_MODEL_ENVIRONMENTS: env['DEPLOY_MODEL_ENVIRONMENTS'] || undefined,
    DEPLOY_MODEL_POLL_SECONDS: env['DEPLOY_MODEL_POLL_SECONDS'] || undefined,
    SOURCE_DATE_EPOCH: env['SOURCE_DATE_EPOCH'] || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeployError(
      'CONFIG_INVALID',
      `environment variable ${String(issue?.path[0])} is invalid: ${issue?.message ?? 'bad value'}`,
    );
  }
  return {
    environmentsFile: flags.configFlag ?? parsed.data.DEPLOY_MODEL_ENVIRONMENTS ?? defaultEnvironmentsFile(),
    pollSeconds: parsed.data.DEPLOY_MODEL_POLL_SECONDS ?? 15,
    sourceDateEpoch: parsed.data.SOURCE_DATE_EPOCH,
  };
}
