import { SCORING_ERROR_STATUS, ScoringConfigError, ScoringError, ScoringErrorCode } from '../src/errors';

describe('scoring error catalog', () => {
  it('has unique codes', () => {
    const codes = Object.values(ScoringErrorCode);

    expect(new Set(codes).size).toBe(codes.length);
  });

  it('maps the upstream failures to 504, 503 and 502', () => {
    expect(new ScoringError('UPSTREAM_TIMEOUT', 'x').status).toBe(504);
    expect(new ScoringError('UPSTREAM_UNAVAILABLE', 'x').status).toBe(503);
    expect(new ScoringError('CIRCUIT_OPEN', 'x').status).toBe(503);
    expect(new ScoringError('UPSTREAM_ERROR', 'x').status).toBe(502);
    expect(new ScoringError('UPSTREAM_BAD_RESPONSE', 'x').status).toBe(502);
    expect(Object.keys(SCORING_ERROR_STATUS).sort()).toEqual(Object.values(ScoringErrorCode).sort());
  });

  it('names the variable in a configuration error', () => {
    const err = new ScoringConfigError('AWS_REGION', 'is required');

    expect(err).toBeInstanceOf(ScoringError);
    expect(err.message).toBe('AWS_REGION: is required');
    expect(err.code).toBe('SCORER_CONFIG_INVALID');
  });
});
