import { BrokenCircuitError, TaskCancelledError } from 'cockatiel';
import { ScoringError } from '../src/errors';
import { isTransientUpstreamError, toScoringError } from '../src/upstream-errors';

const sdkError = (name: string, status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, ...extra });
const netError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('isTransientUpstreamError', () => {
  it.each([
    ['throttling', sdkError('ThrottlingException', 400)],
    ['a 429', sdkError('Unknown', 429)],
    ['a 500', sdkError('InternalFailure', 500)],
    ['a 503', sdkError('ServiceUnavailable', 503)],
    ['a model container 5xx', sdkError('ModelError', 424, { OriginalStatusCode: 500 })],
    ['a refused connection', netError('ECONNREFUSED')],
    ['a reset connection', netError('ECONNRESET')],
    [
      'a refused connection the SDK wrapped',
      new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:1'),
    ],
  ])('retries %s', (_what, err) => {
    expect(isTransientUpstreamError(err)).toBe(true);
  });

  it.each([
    ['a validation error', sdkError('ValidationError', 400)],
    ['a model container 4xx', sdkError('ModelError', 424, { OriginalStatusCode: 400 })],
    ['a bad response', new ScoringError('UPSTREAM_BAD_RESPONSE', 'garbage')],
    ['an open circuit', new BrokenCircuitError()],
  ])('does not retry %s', (_what, err) => {
    expect(isTransientUpstreamError(err)).toBe(false);
  });
});

describe('toScoringError', () => {
  it.each([
    ['the deadline', new TaskCancelledError(), 'UPSTREAM_TIMEOUT', 504],
    ['an SDK request timeout', Object.assign(new Error('t'), { name: 'TimeoutError' }), 'UPSTREAM_TIMEOUT', 504],
    ['an open circuit', new BrokenCircuitError(), 'CIRCUIT_OPEN', 503],
    ['a refused connection', netError('ECONNREFUSED'), 'UPSTREAM_UNAVAILABLE', 503],
    ['a wrapped SDK timeout', new Error('AWS SDK error wrapper for TimeoutError: timed out'), 'UPSTREAM_TIMEOUT', 504],
    ['throttling', sdkError('ThrottlingException', 400), 'UPSTREAM_UNAVAILABLE', 503],
    ['a 500', sdkError('InternalFailure', 500), 'UPSTREAM_ERROR', 502],
    ['a model 4xx', sdkError('ModelError', 424, { OriginalStatusCode: 400 }), 'UPSTREAM_ERROR', 502],
  ])('maps %s to %s (%i)', (_what, err, code, status) => {
    const mapped = toScoringError(err, 800);

    expect(mapped).toMatchObject({ code, status });
    expect(mapped.cause).toBe(err);
  });

  it('keeps a ScoringError as it is', () => {
    const err = new ScoringError('UPSTREAM_BAD_RESPONSE', 'garbage');

    expect(toScoringError(err, 800)).toBe(err);
  });
});
