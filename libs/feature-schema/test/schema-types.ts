/**
 * Type-level checks of the schema-derived types, compiled by `typecheck` (not run by jest):
 * a wrong shape here is a compile error.
 */
import type { z } from 'zod';
import type {
  ErrorResponse,
  FeatureSpec,
  NamedScoreRequest,
  RowsScoreRequest,
  ScoreRequest,
  ScoreResponse,
  ScoreResponseSchema,
} from '../src/index';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

export const rowsAreArraysOfNullableNumbers = assertType<
  RowsScoreRequest extends readonly (readonly (number | null)[])[] ? true : false
>();
export const requestIsEitherForm = assertType<Equals<ScoreRequest, RowsScoreRequest | NamedScoreRequest>>();
export const leadIdIsOptionalString = assertType<
  Equals<NamedScoreRequest['leads'][number]['lead_id'], string | undefined>
>();
export const scoreIsANumber = assertType<Equals<ScoreResponse['results'][number]['score'], number>>();
export const responseInputEqualsOutput = assertType<
  Equals<z.input<typeof ScoreResponseSchema>, z.output<typeof ScoreResponseSchema>>
>();

export const sampleResponse = {
  request_id: 'r',
  model: { name: 'm', version: '1' },
  results: [{ score: 3, probabilities: [0.1, 0.1, 0.6, 0.1, 0.1] }],
  latency_ms: { total: 1, validation: 0, model: 1 },
} satisfies ScoreResponse;

export const sampleError = { error: { code: 'INVALID_JSON', message: 'bad', details: [{ problem: 'p' }] } } satisfies ErrorResponse;

// @ts-expect-error a result needs a score
export const noScore: ScoreResponse['results'][number] = { lead_id: 'x' };
// @ts-expect-error kind is a closed set
export const badKind: FeatureSpec['kind'] = 'percentage';
