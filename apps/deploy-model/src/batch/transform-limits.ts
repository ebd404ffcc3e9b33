import type { Environment } from '../environments';

/** How a Transform job packs records into requests, and how many requests run at once per instance. */
export interface TransformLimits {
  /** Largest request body, MB: as many whole lines as fit (BatchStrategy MultiRecord). */
  readonly maxPayloadInMB: number;
  /** Requests in flight per instance. */
  readonly maxConcurrentTransforms: number;
}

/**
 * MaxPayloadInMB for our model server (BYOC): it accepts the job's MaxPayloadInMB up to SageMaker's maximum of
 * 100 MB (it reads `SAGEMAKER_MAX_PAYLOAD_IN_MB`); 20 MB is about 130,000 demo leads, half a second of one core,
 * big enough that per-request costs vanish, small enough that a retried request costs little.
 */
export const BYOC_MAX_PAYLOAD_MB = 20;
/** SageMaker's XGBoost image (`xgboost-1.7-1`) serves bodies of up to 6 MB, the real-time limit. */
export const BUILTIN_MAX_PAYLOAD_MB = 6;

/**
 * vCPUs of a SageMaker instance type from its size (`large` 2, `xlarge` 4, `Nxlarge` 4N; `medium` 1): both images
 * run one worker per vCPU and advertise that many concurrent transforms.
 *
 * @example vcpusOf('ml.c5.2xlarge') // 8
 */
export function vcpusOf(instanceType: string): number {
  const size = instanceType.split('.').at(-1) ?? '';
  if (size === 'medium' || size === 'small') return 1;
  if (size === 'large') return 2;
  if (size === 'xlarge') return 4;
  const n = /^(\d+)xlarge$/.exec(size);
  return n ? 4 * Number(n[1]) : 2;
}

/**
 * The Transform job limits for an environment's model: what its container (our model server, or SageMaker's
 * XGBoost image) accepts, and one request per vCPU.
 *
 * @example transformLimits(environment) // { maxPayloadInMB: 6, maxConcurrentTransforms: 2 } for ml.m5.large, xgboost-1.7-1
 */
export function transformLimits(environment: Environment): TransformLimits {
  return {
    maxPayloadInMB: environment.image.type === 'byoc' ? BYOC_MAX_PAYLOAD_MB : BUILTIN_MAX_PAYLOAD_MB,
    maxConcurrentTransforms: vcpusOf(environment.instanceType),
  };
}
