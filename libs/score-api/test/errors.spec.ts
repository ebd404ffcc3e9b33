import { ErrorResponseSchema } from '@lead-scoring/feature-schema';
import { API_ERROR_STATUS, ApiError, errorBody, type ApiErrorCode } from '../src/errors';

describe('API error catalog', () => {
  it('maps every code to a 4xx or 5xx status', () => {
    for (const status of Object.values(API_ERROR_STATUS)) expect(status >= 400 && status < 600).toBe(true);
  });

  it('keeps codes unique and spelled as their keys', () => {
    const codes = Object.keys(API_ERROR_STATUS) as ApiErrorCode[];
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(new ApiError(code, 'x').code).toBe(code);
  });

  it('builds bodies matching ErrorResponseSchema, omitting empty details', () => {
    expect(ErrorResponseSchema.parse(JSON.parse(errorBody('NOT_FOUND', 'no', [])))).toEqual({
      error: { code: 'NOT_FOUND', message: 'no' },
    });
    const withDetails = JSON.parse(errorBody('VALIDATION_FAILED', 'bad', [{ row: 0, feature: 'f', problem: 'p' }]));
    expect(ErrorResponseSchema.safeParse(withDetails).success).toBe(true);
  });
});
