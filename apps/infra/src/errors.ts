/** Stable codes of every error the infra app raises. */
export const INFRA_ERROR_CODES = [
  'INFRA_CONFIG_INVALID',
  'INFRA_LAMBDA_CODE_MISSING',
  'INFRA_UNKNOWN_ENVIRONMENT',
] as const;

/** One of {@link INFRA_ERROR_CODES}. */
export type InfraErrorCode = (typeof INFRA_ERROR_CODES)[number];

/**
 * The infra app's only error type: synthesis stops with a message naming what to fix.
 *
 * @example
 * throw new InfraError('INFRA_LAMBDA_CODE_MISSING', 'dist/apps/api/lambda: run `npx nx run api:bundle-lambda` first');
 */
export class InfraError extends Error {
  readonly code: InfraErrorCode;
  constructor(code: InfraErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = 'InfraError';
    this.code = code;
  }
}
