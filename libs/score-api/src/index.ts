export { createScoreApi, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_ROWS } from './score-api';
export { createApiHttpServer, type ApiHttpServer, type NodeServerOptions } from './node-http';
export { ApiError, API_ERROR_STATUS, MAX_DETAILS, errorBody, type ApiErrorCode, type ErrorDetail } from './errors';
export { parseScoreBody, parseExplain, MAX_EXPLAIN } from './score-request';
export { createApiKeyCheck } from './auth';
export type {
  ApiRequest,
  ApiResponse,
  MetricsSource,
  RequestEvent,
  RouteName,
  ScoreApi,
  ScoreApiOptions,
  ScoredEvent,
  ServedModel,
} from './types';
