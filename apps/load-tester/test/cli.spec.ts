import { parseArgs } from '../src/cli';
import { LoadTestError } from '../src/errors';

const http = ['--target', 'http://localhost:8080/score'];

function usageError(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseArgs(argv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(LoadTestError);
    expect((err as LoadTestError).exitCode).toBe(2);
    return (err as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('command line', () => {
  it('builds an open-model run from --rate and --duration with defaults', () => {
    const config = parseArgs([...http, '--rate', '300', '--duration', '60s'], {});

    expect(config).toMatchObject({
      model: 'open',
      segments: [{ durationMs: 60_000, from: 300, to: 300 }],
      target: { kind: 'http', url: 'http://localhost:8080/score' },
      rows: 1,
      format: 'array',
      workers: 1,
      lateThresholdMs: 10,
      maxLateRatio: 0.01,
    });
    expect(config?.maxSockets).toBeGreaterThanOrEqual(300);
  });

  it('builds a closed-model run from --users with think time', () => {
    const config = parseArgs([...http, '--users', '20', '--think-time', '100ms', '--duration', '5s'], {});
    expect(config).toMatchObject({
      model: 'closed',
      thinkTimeMs: 100,
      segments: [{ durationMs: 5000, from: 20, to: 20 }],
    });
  });

  it('takes the API key from LOAD_TEST_API_KEY unless --api-key is given', () => {
    expect(parseArgs([...http, '--rate', '1'], { LOAD_TEST_API_KEY: 'env-key' })?.target).toMatchObject({
      apiKey: 'env-key',
    });
    expect(
      parseArgs([...http, '--rate', '1', '--api-key', 'flag-key'], { LOAD_TEST_API_KEY: 'env-key' })?.target,
    ).toMatchObject({ apiKey: 'flag-key' });
  });

  it('sends CSV to a SageMaker endpoint, in AWS_REGION by default', () => {
    const config = parseArgs(
      ['--sagemaker-endpoint', 'lead-scoring', '--endpoint-url', 'http://localhost:8081', '--rate', '10'],
      { AWS_REGION: 'eu-west-1' },
    );
    expect(config).toMatchObject({
      format: 'csv',
      target: {
        kind: 'sagemaker',
        endpointName: 'lead-scoring',
        region: 'eu-west-1',
        endpointUrl: 'http://localhost:8081',
      },
    });
  });

  it('accepts --invalid-ratio and --max-late-ratio as fractions or percentages', () => {
    expect(parseArgs([...http, '--rate', '1', '--invalid-ratio', '5%', '--max-late-ratio', '0.002'], {})).toMatchObject(
      { invalidRatio: 0.05, maxLateRatio: 0.002 },
    );
  });

  it.each([
    [['--rate', '10'], /exactly one of --target/],
    [[...http, '--sagemaker-endpoint', 'x', '--rate', '1'], /exactly one of/],
    [[...http], /give --rate/],
    [[...http, '--rate', '10', '--users', '5'], /not both/],
    [[...http, '--rate', '-3'], /--rate/],
    [[...http, '--rate', '10', '--duration', '10 parsecs'], /--duration/],
    [[...http, '--stages', '10s:100', '--rate', '5'], /--stages sets the whole profile/],
    [[...http, '--rate', '10', '--slo', 'p95<100ms'], /unknown metric "p95"/],
    [[...http, '--rate', '10', '--form', 'yaml'], /form/],
    [[...http, '--rate', '10', '--bogus'], /unknown option/],
    [['--target', 'not a url', '--rate', '10'], /not a URL/],
    [['--target', 'ftp://x/score', '--rate', '10'], /only http and https/],
    [[...http, '--rate', '10', '--invalid-ratio', '1.5'], /--invalid-ratio/],
    [[...http, '--rate', '10', '--workers', '0'], /--workers/],
    [[...http, '--stages', '5s:0'], /nothing would be sent/],
  ])('rejects %j with a clear usage error', (argv, message) => {
    expect(usageError(argv)).toMatch(message);
  });

  it('rejects a malformed AWS_REGION naming the variable', () => {
    expect(usageError(['--sagemaker-endpoint', 'x', '--rate', '1'], { AWS_REGION: 'Mars' })).toMatch(/AWS_REGION/);
  });
});
