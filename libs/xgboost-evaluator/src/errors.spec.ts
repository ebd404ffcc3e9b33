import { EvaluatorError, EvaluatorErrorCode } from './errors';

describe('evaluator error catalog', () => {
  it('gives every error a unique stable code', () => {
    const codes = Object.values(EvaluatorErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('keeps the cause and the code on the error', () => {
    const cause = new Error('boom');
    const error = new EvaluatorError(EvaluatorErrorCode.PARSE_FAILED, 'bad', { cause });
    expect(error).toMatchObject({ code: 'MODEL_PARSE_FAILED', cause, name: 'EvaluatorError' });
  });
});
