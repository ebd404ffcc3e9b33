import { ScoringConfigError } from '../src/errors';
import { readScorerConfig } from '../src/scorer-config';

const sagemakerEnv = { SCORER: 'sagemaker', SAGEMAKER_ENDPOINT_NAME: 'lead-scoring-local', AWS_REGION: 'us-east-1' };

describe('readScorerConfig', () => {
  it('defaults to the in-process scorer without fallback', () => {
    expect(readScorerConfig({})).toEqual({ scorer: 'inprocess', fallback: 'none' });
  });

  it('reads the SageMaker settings with production defaults', () => {
    const cfg = readScorerConfig({
      ...sagemakerEnv,
      SAGEMAKER_ENDPOINT_URL: 'http://127.0.0.1:8081',
      SCORER_FALLBACK: 'inprocess',
    });

    expect(cfg).toEqual({
      scorer: 'sagemaker',
      fallback: 'inprocess',
      sagemaker: {
        endpointName: 'lead-scoring-local',
        region: 'us-east-1',
        endpointUrl: 'http://127.0.0.1:8081',
        timeoutMs: 800,
        maxRetries: 2,
        breakerFailures: 5,
        breakerHalfOpenMs: 5000,
      },
    });
  });

  it('accepts AWS_DEFAULT_REGION when AWS_REGION is unset', () => {
    const cfg = readScorerConfig({
      SCORER: 'sagemaker',
      SAGEMAKER_ENDPOINT_NAME: 'ep',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });

    expect(cfg.sagemaker?.region).toBe('eu-west-1');
  });

  it.each([
    [{ SCORER: 'remote' }, 'SCORER'],
    [{ ...sagemakerEnv, SAGEMAKER_ENDPOINT_NAME: undefined }, 'SAGEMAKER_ENDPOINT_NAME'],
    [{ ...sagemakerEnv, SAGEMAKER_ENDPOINT_NAME: 'bad name!' }, 'SAGEMAKER_ENDPOINT_NAME'],
    [{ ...sagemakerEnv, AWS_REGION: undefined }, 'AWS_REGION'],
    [{ ...sagemakerEnv, AWS_REGION: 'mars' }, 'AWS_REGION'],
    [{ ...sagemakerEnv, SAGEMAKER_ENDPOINT_URL: 'ftp://x' }, 'SAGEMAKER_ENDPOINT_URL'],
    [{ ...sagemakerEnv, SCORER_FALLBACK: 'yes' }, 'SCORER_FALLBACK'],
    [{ ...sagemakerEnv, SAGEMAKER_TIMEOUT_MS: 'fast' }, 'SAGEMAKER_TIMEOUT_MS'],
    [{ ...sagemakerEnv, SAGEMAKER_MAX_RETRIES: '9' }, 'SAGEMAKER_MAX_RETRIES'],
  ])('rejects %j naming %s', (env, variable) => {
    const attempt = () => readScorerConfig(env);

    expect(attempt).toThrow(ScoringConfigError);
    expect(attempt).toThrow(expect.objectContaining({ variable, message: expect.stringContaining(variable) }));
  });
});
