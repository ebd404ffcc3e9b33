import { z } from 'zod';

// CloudWatch Logs accepts only these retention values (PutRetentionPolicy); anything else fails at deploy time.
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const retentionDays = z
  .number()
  .refine(
    (d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d),
    `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
  );
// S3 bucket naming rules: 3-63 lowercase letters, digits, dots, hyphens; starts and ends alphanumeric.
const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name');
const ecrImage = z
  .string()
  .regex(
    /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com[a-z.]*\/[a-z0-9._/-]+:[\w.-]+$/,
    'must be an ECR image URI <account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>',
  );
// SageMaker names: 1-63 letters, digits and hyphens, no leading or trailing hyphen.
const sageMakerName = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$/, 'must be 1-63 letters, digits and hyphens')
  .refine((s) => !s.endsWith('-'), 'must not end with a hyphen');

/** Schema of one deployment environment (staging, prod, ...). Every size and threshold lives here. */
export const EnvironmentSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{1,15}$/, 'must be a short lowercase name such as staging'),
    account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
    region: z.string().regex(/^[a-z]{2}-[a-z-]+-\d$/, 'must be an AWS region such as eu-west-1'),
    api: z
      .object({
        stageName: z.string().regex(/^[a-zA-Z0-9_]{1,32}$/),
        /** Steady-state requests per second for the stage and each API key's usage plan. */
        rateLimit: int(1, 10_000),
        /** Token-bucket size: how many requests may arrive at once above the steady rate. */
        burstLimit: int(1, 5_000),
        /** WAF rate-based rule: requests per client IP per 5-minute window before blocking. */
        wafRequestsPer5MinPerIp: int(100, 20_000_000),
        accessLogRetentionDays: retentionDays,
      })
      .strict(),
    lambda: z
      .object({
        memoryMb: int(128, 10_240),
        timeoutSeconds: int(1, 28),
        reservedConcurrency: int(1, 10_000),
        /** 0 disables provisioned concurrency; the API always calls the `live` alias. */
        provisionedConcurrency: int(0, 10_000),
        logRetentionDays: retentionDays,
        scorer: z.enum(['inprocess', 'sagemaker']),
        scorerFallback: z.enum(['inprocess', 'none']),
        serviceName: z.string().min(1),
        /**
         * The shadow (challenger) model's artefact, `s3://<models bucket>/models/<name>/<version>/model.tar.gz` as
         * `deploy-model deploy --shadow` uploads it: set as SHADOW_MODEL_S3_URI, scored in-process beside production.
         */
        shadowModelS3Uri: z
          .string()
          .regex(
            /^s3:\/\/[a-z0-9.-]{3,63}\/models\/[^\s]+\.tar\.gz$/,
            'must be s3://<models bucket>/models/<name>/<version>/model.tar.gz',
          )
          .optional(),
      })
      .strict(),
    sagemaker: z
      .object({
        endpointName: sageMakerName,
        executionRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/),
        /**
         * Who creates and updates the endpoint. `deploy-model`: the deploy CLI (blue/green with
         * rollback alarms) owns Model/EndpointConfig/Endpoint and its scaling; CDK creates the
         * execution role, buckets and alarms only. `cdk`: this stack creates them from `initialModelDataUrl`.
         */
        endpointOwner: z.enum(['deploy-model', 'cdk']),
        variantName: sageMakerName,
        imageUri: ecrImage,
        initialModelDataUrl: z
          .string()
          .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]+\/.+\.tar\.gz$/)
          .optional(),
        instanceType: z.string().regex(/^ml\.[a-z0-9]+\.[a-z0-9]+$/),
        initialInstanceCount: int(1, 100),
        dataCapturePercent: int(0, 100),
        autoscaling: z
          .object({
            minCapacity: int(1, 100),
            maxCapacity: int(1, 100),
            targetInvocationsPerInstance: z.number().positive(),
            scaleInCooldownSeconds: int(0, 3600),
            scaleOutCooldownSeconds: int(0, 3600),
          })
          .strict(),
      })
      .strict(),
    buckets: z.object({ models: bucketName, lake: bucketName, accessLogs: bucketName }).strict(),
    lake: z
      .object({
        streamName: z.string().regex(/^[a-zA-Z0-9_.-]{1,64}$/),
        glueDatabase: z.string().regex(/^[a-z0-9_]{1,255}$/),
        glueTable: z.string().regex(/^[a-z0-9_]{1,255}$/),
        /** Firehose buffering; dynamic partitioning needs at least 64 MiB. */
        bufferSeconds: int(60, 900),
        bufferMb: int(64, 128),
        infrequentAccessAfterDays: int(30, 3650),
        glacierAfterDays: int(31, 3650),
        expireAfterDays: int(32, 3650),
      })
      .strict(),
    alarms: z
      .object({
        email: z.email().optional(),
        apiP99LatencyMs: z.number().positive(),
        /** Fraction of requests answered 5xx, e.g. 0.01 = 1 %. */
        api5xxRate: z.number().gt(0).lt(1),
        lambdaErrorsPer5Min: int(1, 1_000_000),
        lambdaThrottlesPer5Min: int(1, 1_000_000),
        modelLatencyP99Ms: z.number().positive(),
        driftPsiMax: z.number().positive(),
      })
      .strict(),
  })
  .strict()
  .superRefine((env, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (env.api.burstLimit < env.api.rateLimit) issue(['api', 'burstLimit'], 'must be at least rateLimit');
    if (env.lambda.provisionedConcurrency >= env.lambda.reservedConcurrency) {
      issue(['lambda', 'provisionedConcurrency'], 'must be below reservedConcurrency');
    }
    const sm = env.sagemaker;
    if (sm.endpointName !== `lead-scoring-${env.name}`)
      issue(['sagemaker', 'endpointName'], `must be lead-scoring-${env.name}`);
    if (sm.autoscaling.minCapacity > sm.autoscaling.maxCapacity)
      issue(['sagemaker', 'autoscaling', 'minCapacity'], 'must not exceed maxCapacity');
    if (sm.endpointOwner === 'cdk' && sm.initialModelDataUrl === undefined) {
      issue(['sagemaker', 'initialModelDataUrl'], 'is required when endpointOwner is cdk');
    }
    const shadow = env.lambda.shadowModelS3Uri;
    if (shadow && !shadow.startsWith(`s3://${env.buckets.models}/`))
      issue(['lambda', 'shadowModelS3Uri'], `must be in the models bucket s3://${env.buckets.models}/`);
    const lc = env.lake;
    // S3 rejects a lifecycle that moves objects on from Standard-IA before they spent 30 days there.
    if (lc.glacierAfterDays < lc.infrequentAccessAfterDays + 30)
      issue(['lake', 'glacierAfterDays'], 'must be at least infrequentAccessAfterDays + 30');
    if (lc.expireAfterDays <= lc.glacierAfterDays) issue(['lake', 'expireAfterDays'], 'must be after glacierAfterDays');
  });

/** One validated environment. */
export type EnvironmentConfig = z.infer<typeof EnvironmentSchema>;
