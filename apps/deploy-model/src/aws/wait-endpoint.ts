import { setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeEndpointCommand,
  type DescribeEndpointCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { DeployError } from '../errors';
import { awsCall } from './aws-call';

/** Options of `waitForEndpoint`. */
export interface WaitOptions {
  readonly endpointName: string;
  /** The config the endpoint must end up running. */
  readonly targetConfig: string;
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Receives one progress line per change (the CLI writes them to stderr). */
  readonly onProgress?: ((line: string) => void) | undefined;
}

const GONE = new Set(['OutOfService', 'Deleting']);

function describeProgress(d: DescribeEndpointCommandOutput, elapsedS: number): string {
  const variants = (d.PendingDeploymentSummary?.ProductionVariants ?? d.ProductionVariants ?? []).map((v) => {
    const statuses = ('VariantStatus' in v ? v.VariantStatus : undefined)?.map((s) => s.Status).join('/') ?? '';
    return `${v.VariantName ?? '?'} ${v.CurrentInstanceCount ?? '?'}/${v.DesiredInstanceCount ?? '?'} instances${statuses ? ` ${statuses}` : ''}`;
  });
  return `[${String(elapsedS).padStart(4)}s] ${d.EndpointName ?? ''} ${d.EndpointStatus ?? '?'} (${variants.join(', ') || 'no variants yet'})`;
}

/**
 * Polls DescribeEndpoint until the endpoint is InService on `targetConfig`. Throws ENDPOINT_FAILED
 * (with SageMaker's FailureReason), DEPLOYMENT_ROLLED_BACK (InService again on another config after an
 * update), WAIT_TIMEOUT, or INTERRUPTED when `signal` aborts (Ctrl-C); the update itself goes on in SageMaker.
 *
 * @example await waitForEndpoint(sagemaker, { endpointName, targetConfig, timeoutMs: 3_600_000, pollMs: 15_000 });
 */
export async function waitForEndpoint(
  sagemaker: SageMakerClient,
  opts: WaitOptions,
): Promise<DescribeEndpointCommandOutput> {
  const start = Date.now();
  let sawTransition = false;
  let last = '';
  let lastAt = 0;
  for (;;) {
    if (opts.signal?.aborted) throw interrupted(opts);
    const d = await awsCall('DescribeEndpoint', () =>
      sagemaker.send(new DescribeEndpointCommand({ EndpointName: opts.endpointName }), {
        ...(opts.signal ? { abortSignal: opts.signal } : {}),
      }),
    );
    const elapsedMs = Date.now() - start;
    const line = describeProgress(d, Math.round(elapsedMs / 1000));
    const text = line.slice(line.indexOf(']'));
    if (text !== last || elapsedMs - lastAt >= 60_000) {
      opts.onProgress?.(line);
      last = text;
      lastAt = elapsedMs;
    }
    const status = d.EndpointStatus;
    if (status === 'InService') {
      if (d.EndpointConfigName === opts.targetConfig && d.PendingDeploymentSummary === undefined) return d;
      if (sawTransition || d.FailureReason) {
        throw new DeployError(
          'DEPLOYMENT_ROLLED_BACK',
          `the update of ${opts.endpointName} to ${opts.targetConfig} was rolled back; it runs ${d.EndpointConfigName ?? '?'} (FailureReason: ${d.FailureReason ?? 'none given'})`,
          {
            hint: 'check the rollback alarms and the endpoint logs in CloudWatch before deploying again',
          },
        );
      }
    } else if (status === 'Failed') {
      throw new DeployError(
        'ENDPOINT_FAILED',
        `${opts.endpointName} is Failed: ${d.FailureReason ?? 'no FailureReason given'}`,
        {
          hint: 'fix the cause; an endpoint that failed to create must be deleted (aws sagemaker delete-endpoint) before re-running',
        },
      );
    } else if (status !== undefined && GONE.has(status)) {
      throw new DeployError(
        'ENDPOINT_FAILED',
        `${opts.endpointName} is ${status}${d.FailureReason ? `: ${d.FailureReason}` : ''}`,
      );
    } else {
      sawTransition = true;
    }
    if (elapsedMs >= opts.timeoutMs) {
      throw new DeployError(
        'WAIT_TIMEOUT',
        `${opts.endpointName} is still ${status ?? '?'} after ${Math.round(elapsedMs / 1000)} s`,
        {
          hint: 'the update goes on in SageMaker; re-run the same deploy to resume waiting, or `rollback` once it is InService',
        },
      );
    }
    try {
      await sleep(
        Math.min(opts.pollMs, Math.max(0, opts.timeoutMs - elapsedMs)),
        undefined,
        opts.signal ? { signal: opts.signal } : {},
      );
    } catch {
      throw interrupted(opts);
    }
  }
}

function interrupted(opts: WaitOptions): DeployError {
  return new DeployError('INTERRUPTED', `stopped waiting for ${opts.endpointName} (interrupted)`, {
    hint: 'the update goes on in SageMaker; re-run the same deploy to resume waiting',
  });
}
