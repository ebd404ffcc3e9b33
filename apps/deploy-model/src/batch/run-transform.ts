import {
  CreateTransformJobCommand,
  DescribeModelCommand,
  DescribeTransformJobCommand,
  waitUntilTransformJobCompletedOrStopped,
  type DescribeTransformJobCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { awsCall, describeOrUndefined } from '../aws/aws-call';
import { DeployError } from '../errors';
import type { TransformPlan } from './transform-plan';

/** Options of {@link runTransform}. */
export interface RunTransformOptions {
  /** First wait between two DescribeTransformJob calls, seconds (the waiter backs off from there). */
  readonly pollSeconds: number;
  /** Longest wait, seconds. */
  readonly maxWaitSeconds: number;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((line: string) => void) | undefined;
}

/** What `batch` reports once the job is done. */
export interface TransformResult {
  readonly jobName: string;
  readonly status: 'Completed';
  /** True when this run created the job (false: it found it running or done). */
  readonly created: boolean;
  readonly modelName: string;
  /** Where SageMaker wrote `<input object name>.out`, one line per input line. */
  readonly outputPath: string;
  readonly seconds: number | undefined;
}

/** A client whose DescribeTransformJob answers are also shown as progress (the SDK waiter has no hook of its own). */
function reporting(
  sagemaker: SageMakerClient,
  onDescribe: (d: DescribeTransformJobCommandOutput) => void,
): SageMakerClient {
  const send = ((command: unknown, options?: unknown) =>
    (sagemaker.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options).then((out) => {
      if (command instanceof DescribeTransformJobCommand) onDescribe(out as DescribeTransformJobCommandOutput);
      return out;
    })) as SageMakerClient['send'];
  return Object.assign(Object.create(sagemaker) as SageMakerClient, { send });
}

function finished(d: DescribeTransformJobCommandOutput, plan: TransformPlan, created: boolean): TransformResult {
  if (d.TransformJobStatus !== 'Completed') {
    throw new DeployError(
      'TRANSFORM_JOB_FAILED',
      `Transform job ${plan.jobName} is ${d.TransformJobStatus ?? '?'}: ${d.FailureReason ?? 'no FailureReason given'}`,
      {
        hint: 'see its logs in CloudWatch (/aws/sagemaker/TransformJobs); a job name is used once: pass --job-name <new name> to run it again',
      },
    );
  }
  const start = d.TransformStartTime?.getTime();
  const end = d.TransformEndTime?.getTime();
  return {
    jobName: plan.jobName,
    status: 'Completed',
    created,
    modelName: plan.modelName,
    outputPath: d.TransformOutput?.S3OutputPath ?? plan.createTransformJob.TransformOutput?.S3OutputPath ?? '?',
    seconds: start !== undefined && end !== undefined ? Math.round((end - start) / 1000) : undefined,
  };
}

/**
 * Runs a Transform job plan: refuses (MODEL_NOT_DEPLOYED) when the model version was never deployed, starts the
 * job unless one of its name exists, waits with the SDK's `waitUntilTransformJobCompletedOrStopped` printing each
 * change of state, and resolves once the job is Completed. Throws TRANSFORM_JOB_FAILED (Failed or Stopped, with
 * SageMaker's FailureReason), WAIT_TIMEOUT, or INTERRUPTED on Ctrl-C; the job itself goes on in SageMaker.
 *
 * @example const result = await runTransform(sagemaker, plan, { pollSeconds: 15, maxWaitSeconds: 86_400 });
 */
export async function runTransform(
  sagemaker: SageMakerClient,
  plan: TransformPlan,
  opts: RunTransformOptions,
): Promise<TransformResult> {
  const describeJob = () => sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: plan.jobName }));
  const model = await describeOrUndefined('DescribeModel', () =>
    sagemaker.send(new DescribeModelCommand({ ModelName: plan.modelName })),
  );
  if (!model) {
    throw new DeployError('MODEL_NOT_DEPLOYED', `no SageMaker model ${plan.modelName} in ${plan.region}`, {
      hint: `deploy this bundle version first: npm run -s deploy-model -- deploy --env ${plan.envName} --model <bundle>`,
    });
  }
  let existing = await describeOrUndefined('DescribeTransformJob', describeJob);
  const created = existing === undefined;
  if (existing === undefined) {
    await awsCall('CreateTransformJob', () => sagemaker.send(new CreateTransformJobCommand(plan.createTransformJob)));
    opts.onProgress?.(
      `created Transform job ${plan.jobName} (model ${plan.modelName}, ${plan.createTransformJob.TransformResources?.InstanceCount ?? 1} x ${plan.createTransformJob.TransformResources?.InstanceType ?? '?'})`,
    );
  } else {
    opts.onProgress?.(
      `Transform job ${plan.jobName} exists (${existing.TransformJobStatus ?? '?'}): not starting another`,
    );
    if (existing.TransformJobStatus !== 'InProgress' && existing.TransformJobStatus !== 'Stopping')
      return finished(existing, plan, false);
  }
  const started = Date.now();
  let last = '';
  const watched = reporting(sagemaker, (d) => {
    const line = `${d.TransformJobStatus ?? '?'}${d.FailureReason ? `: ${d.FailureReason}` : ''}`;
    if (line !== last)
      opts.onProgress?.(`[${String(Math.round((Date.now() - started) / 1000)).padStart(5)}s] ${plan.jobName} ${line}`);
    last = line;
    existing = d;
  });
  try {
    await waitUntilTransformJobCompletedOrStopped(
      {
        client: watched,
        minDelay: opts.pollSeconds,
        maxDelay: Math.max(opts.pollSeconds, 300),
        maxWaitTime: opts.maxWaitSeconds,
        ...(opts.signal ? { abortSignal: opts.signal } : {}),
      },
      { TransformJobName: plan.jobName },
    );
  } catch (err) {
    if (opts.signal?.aborted) {
      throw new DeployError('INTERRUPTED', `stopped waiting for ${plan.jobName} (interrupted)`, {
        cause: err,
        hint: 'the job goes on in SageMaker; re-run the same command to wait for it again',
      });
    }
    if (existing?.TransformJobStatus === 'Failed') return finished(existing, plan, created);
    if (/TIMEOUT/.test(String((err as Error).message))) {
      throw new DeployError(
        'WAIT_TIMEOUT',
        `${plan.jobName} is still ${existing?.TransformJobStatus ?? '?'} after ${opts.maxWaitSeconds} s`,
        { cause: err, hint: 're-run the same command to wait again' },
      );
    }
    throw err instanceof DeployError
      ? err
      : new DeployError('AWS_CALL_FAILED', `waiting for ${plan.jobName} failed: ${(err as Error).message}`, {
          cause: err,
        });
  }
  return finished(await awsCall('DescribeTransformJob', describeJob), plan, created);
}
