import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DeployError } from './errors';
import { XGBOOST_IMAGE_REGIONS, xgboostImageUri } from './xgboost-image';

const name63 = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$/, 'a SageMaker name: letters, digits, hyphens, at most 63')
  .refine((s) => !s.endsWith('-'), 'a SageMaker name cannot end with a hyphen');

/** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>[:tag|@digest]` */
function isEcrImageUri(uri: string): boolean {
  const slash = uri.indexOf('/');
  if (slash < 0 || slash === uri.length - 1) return false;
  const host = uri.slice(0, slash).split('.');
  const tail = host.slice(4).join('.');
  return (
    /^\d{12}$/.test(host[0] ?? '') &&
    host[1] === 'dkr' &&
    host[2] === 'ecr' &&
    (tail === 'amazonaws.com' || tail === 'amazonaws.com.cn')
  );
}

const ImageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('xgboost-1.7-1') }).strict(),
  z
    .object({
      type: z.literal('byoc'),
      uri: z.string().refine(isEcrImageUri, 'an ECR image URI: <account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>'),
    })
    .strict(),
]);

/** One deployment environment (staging, prod) as checked in to config/environments.json. */
export const EnvironmentSchema = z
  .object({
    region: z.string().regex(/^[a-z]{2}-[a-z-]{2,20}-\d$/, 'an AWS region such as eu-west-1'),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
    prefix: z.string().regex(/^[A-Za-z0-9._/-]*[A-Za-z0-9]$/, 'a key prefix without a trailing slash'),
    roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'an IAM role ARN'),
    endpointName: name63,
    variantName: name63.default('AllTraffic'),
    instanceType: z.string().regex(/^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'a SageMaker instance type such as ml.m5.large'),
    instanceCount: z.number().int().min(1),
    image: ImageSchema,
    dataCapture: z
      .object({
        enabled: z.boolean(),
        samplingPercentage: z.number().int().min(0).max(100),
        s3Uri: z.string().startsWith('s3://'),
      })
      .strict(),
    /** The data lake, for `lake-resend`: named as apps/infra names them (a test keeps them equal). */
    lake: z
      .object({
        bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
        streamName: z.string().regex(/^[a-zA-Z0-9_.-]{1,64}$/, 'a Firehose stream name'),
        fallbackPrefix: z.string().regex(/^[A-Za-z0-9._/=-]*\/$/, 'a key prefix ending in a slash, e.g. _failed/'),
      })
      .strict()
      .optional(),
    autoscaling: z
      .object({
        minCapacity: z.number().int().min(1),
        maxCapacity: z.number().int().min(1),
        targetInvocationsPerInstance: z.number().positive(),
        scaleInCooldownSeconds: z.number().int().min(0),
        scaleOutCooldownSeconds: z.number().int().min(0),
      })
      .strict()
      .refine((a) => a.maxCapacity >= a.minCapacity, { message: 'maxCapacity must be >= minCapacity' }),
    deployment: z
      .object({
        canaryPercent: z.number().int().min(1).max(99),
        canaryWaitSeconds: z.number().int().min(0).max(3600),
        terminationWaitSeconds: z.number().int().min(0).max(3600),
        maximumExecutionTimeoutSeconds: z.number().int().min(600).max(14400),
        rollbackAlarms: z.array(z.string().min(1)).min(1).max(10),
        waitTimeoutSeconds: z.number().int().min(1),
      })
      .strict(),
  })
  .strict()
  .superRefine((env, ctx) => {
    if (env.image.type === 'xgboost-1.7-1' && xgboostImageUri(env.region) === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['image'],
        message: `no XGBoost image known in ${env.region} (known: ${XGBOOST_IMAGE_REGIONS.join(', ')})`,
      });
    }
  });

export type Environment = z.infer<typeof EnvironmentSchema>;

/** The whole environments file: a map of environment name to its settings. */
export const EnvironmentsFileSchema = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), EnvironmentSchema);

/** The container image URI an environment deploys (the region's XGBoost image, or the BYOC one). */
export function imageUriOf(env: Environment): string {
  if (env.image.type === 'byoc') return env.image.uri;
  const uri = xgboostImageUri(env.region);
  if (uri === undefined) throw new DeployError('CONFIG_INVALID', `no XGBoost image known in ${env.region}`);
  return uri;
}

/**
 * Parses and validates an environments file's JSON text; each problem names its path.
 *
 * @example parseEnvironments(await readFile('apps/deploy-model/config/environments.json', 'utf8'), 'environments.json')
 */
export function parseEnvironments(text: string, source: string): Record<string, Environment> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new DeployError('CONFIG_INVALID', `${source} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = EnvironmentsFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new DeployError('CONFIG_INVALID', `${source} is invalid:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/** Reads the environments file and returns the environment called `name`. */
export async function loadEnvironment(file: string, name: string): Promise<Environment> {
  let text: string;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator's own config path
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new DeployError('CONFIG_INVALID', `cannot read environments file ${file}: ${(cause as Error).message}`, {
      cause,
    });
  }
  const all = parseEnvironments(text, file);
  const env = Object.hasOwn(all, name) ? all[name] : undefined;
  if (env === undefined) {
    throw new DeployError('ENV_UNKNOWN', `no environment "${name}" in ${file} (known: ${Object.keys(all).join(', ')})`);
  }
  return env;
}
