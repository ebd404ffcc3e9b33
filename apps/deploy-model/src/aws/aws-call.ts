import { DeployError } from '../errors';

interface SdkErrorShape {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Forbidden']);
const NO_CREDENTIALS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
]);

/** True when an SDK error says the named resource does not exist (SageMaker answers ValidationException "Could not find"). */
export function isNotFound(err: unknown): boolean {
  const e = err as SdkErrorShape;
  if (
    e.name === 'NotFound' ||
    e.name === 'NoSuchKey' ||
    e.name === 'ResourceNotFound' ||
    e.$metadata?.httpStatusCode === 404
  )
    return true;
  return e.name === 'ValidationException' && /could not find|does not exist/i.test(e.message ?? '');
}

/** Turns an SDK error into a DeployError whose message names the call and says what to do. */
export function toDeployError(label: string, err: unknown): DeployError {
  if (err instanceof DeployError) return err;
  const e = err as SdkErrorShape;
  const name = e.name ?? 'Error';
  const message = e.message ?? String(err);
  if (name === 'AbortError') return new DeployError('INTERRUPTED', `${label} was interrupted`, { cause: err });
  if (NO_CREDENTIALS.has(name) || /could not load credentials/i.test(message)) {
    return new DeployError('AWS_CREDENTIALS_MISSING', `${label}: no usable AWS credentials (${name}: ${message})`, {
      cause: err,
      hint: 'set AWS_PROFILE (and run `aws sso login`) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, then re-run',
    });
  }
  if (ACCESS_DENIED.has(name) || e.$metadata?.httpStatusCode === 403) {
    return new DeployError('AWS_ACCESS_DENIED', `${label}: access denied (${message || name})`, {
      cause: err,
      hint: 'the deploying role needs the permissions listed in docs/deploy-model.md',
    });
  }
  return new DeployError('AWS_CALL_FAILED', `${label} failed: ${name}: ${message}`, { cause: err });
}

/**
 * Runs one AWS call, mapping its failure to a DeployError (credentials, access denied, other).
 *
 * @example await awsCall('CreateModel', () => sagemaker.send(new CreateModelCommand(input)));
 */
export async function awsCall<T>(label: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toDeployError(label, err);
  }
}

/** Runs a Describe call; resolves undefined when the resource does not exist. */
export async function describeOrUndefined<T>(label: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw toDeployError(label, err);
  }
}
