export type { FeatureKind, FeatureSpec } from './features';
export { FEATURES, FEATURE_NAMES, FEATURE_INDEX, NUM_FEATURES } from './features';
export { featureValueProblem, hasLoneSurrogate, MAX_LEAD_ID_LENGTH } from './check-value';
export {
  featureValueSchema,
  FeatureRowSchema,
  RowsScoreRequestSchema,
  NamedFeaturesSchema,
  NamedLeadSchema,
  NamedScoreRequestSchema,
  ScoreRequestSchema,
  ReasonSchema,
  ScoreResultSchema,
  ScoreResponseSchema,
  ErrorDetailSchema,
  ErrorResponseSchema,
  HealthResponseSchema,
} from './schemas';
export type {
  FeatureRow,
  RowsScoreRequest,
  NamedScoreRequest,
  NamedLead,
  ScoreRequest,
  Reason,
  ScoreResult,
  ScoreResponse,
  ErrorDetail,
  ErrorResponse,
  HealthResponse,
} from './schemas';
export { buildOpenApiDocument, serializeOpenApiDocument } from './openapi';
export { featuresMarkdown } from './features-markdown';
