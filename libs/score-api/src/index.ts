export { createScoreApi, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_ROWS } from './score-api';
export { createApiHttpServer, type ApiHttpServer, type NodeServerOptions } from './node-http';
export {
  ApiError,
  API_ERROR_STATUS,
  MAX_DETAILS,
  errorBody,
  ShadowError,
  ShadowErrorCode,
  type ApiErrorCode,
  type ErrorDetail,
} from './errors';
export {
  ShadowRunner,
  type ShadowModel,
  type ShadowResult,
  type ShadowRunnerOptions,
  type ShadowSkip,
} from './shadow-runner';
export { shadowColumns } from './shadow-contract';
export { parseScoreBody, parseExplain, MAX_EXPLAIN } from './score-request';
export { createApiKeyCheck } from './auth';
export type {
  ApiRequest,
  ApiResponse,
  MetricsSource,
  RecordInfo,
  RequestEvent,
  RouteName,
  ScoreApi,
  ScoreApiOptions,
  ScoredEvent,
  ServedModel,
  ShadowSink,
} from './types';
