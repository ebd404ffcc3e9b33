import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';

/** The three AWS clients a deploy uses. */
export interface AwsClients {
  readonly s3: S3Client;
  readonly sagemaker: SageMakerClient;
  readonly autoscaling: ApplicationAutoScalingClient;
}

/** Clients for one region; credentials come from the SDK's default chain (env, profile, SSO, role). */
export function createClients(region: string): AwsClients {
  return {
    s3: new S3Client({ region }),
    sagemaker: new SageMakerClient({ region }),
    autoscaling: new ApplicationAutoScalingClient({ region }),
  };
}
