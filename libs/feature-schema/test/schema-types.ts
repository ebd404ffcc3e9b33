/**
 * Type-level checks of the schema-derived types, compiled by `typecheck` (not run by jest):
 * a wrong shape here is a compile error.
 */
import type { z } from 'zod';
import type {
  ErrorResponse,
  FeatureSpec,
  NamedLead,
  ScoreResponse,
  ScoreResponseSchema,
  ScoredResult,
  RejectedResult,
} from '../src/index';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

export const leadIdIsOptionalString = assertType<Equals<NamedLead['lead_id'], string | undefined>>();
export const resultIsScoredOrRejected =
  assertType<Equals<ScoreResponse['results'][number], ScoredResult | RejectedResult>>();
export const scoreIsANumber = assertType<Equals<ScoredResult['score'], number>>();
export const responseInputEqualsOutput =
  assertType<Equals<z.input<typeof ScoreResponseSchema>, z.output<typeof ScoreResponseSchema>>>();

export const sampleResponse = {
  request_id: 'r',
  model: { name: 'm', version: '1' },
  results: [{ score: 3, probabilities: [0.1, 0.1, 0.6, 0.1, 0.1] }, { error: { code: 'INVALID_LEAD', message: 'm' } }],
  latency_ms: { total: 1, validation: 0, model: 1 },
} satisfies ScoreResponse;

export const sampleError = {
  error: { code: 'INVALID_JSON', message: 'bad', details: [{ problem: 'p' }] },
} satisfies ErrorResponse;

// @ts-expect-error a scored result needs a score
export const noScore: ScoredResult = { lead_id: 'x' };
export const badKind: FeatureSpec = {
  name: 'x',
  description: '',
  unit: '',
  // @ts-expect-error kind is a closed set
  kind: 'colour',
  min: 0,
  max: 1,
  allowMissing: false,
  integer: false,
};
