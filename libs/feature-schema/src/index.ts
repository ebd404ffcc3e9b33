export {
  FEATURE_KINDS,
  FeatureSpecJsonSchema,
  FeatureListJsonSchema,
  featureSpecsFromJson,
  featureSpecsToJson,
  checkSpecs,
} from './feature-spec';
export type { FeatureKind, FeatureSpec, FeatureSpecJson } from './feature-spec';
export { createFeatureContract, type FeatureContract } from './contract';
export { FeatureSchemaError, FeatureSchemaErrorCode, type FeatureIssue } from './errors';
export {
  featureValueProblem,
  valueTypeProblem,
  valueRangeProblem,
  leadIdProblem,
  hasLoneSurrogate,
  MAX_LEAD_ID_LENGTH,
  type RangeProblemCode,
} from './check-value';
export { createLeadValidator, MAX_DETAILS } from './lead-validator';
export type { LeadValidator, LeadWarning, RejectedLead, ValidatedBatch, ValidationPolicy } from './lead-validator';
export { featureValueSchema, requestSchemas, rangeLabel, LeadIdSchema } from './schemas';
export type { RequestSchemas, NamedLead } from './schemas';
export {
  ReasonSchema,
  WarningSchema,
  ErrorDetailSchema,
  LeadErrorSchema,
  ScoredResultSchema,
  RejectedResultSchema,
  ScoreResultSchema,
  ScoreResponseSchema,
  ErrorResponseSchema,
  HealthResponseSchema,
} from './response-schemas';
export type {
  Reason,
  Warning,
  ScoredResult,
  RejectedResult,
  ScoreResult,
  ScoreResponse,
  ErrorDetail,
  ErrorResponse,
  HealthResponse,
} from './response-schemas';
export { buildOpenApiDocument, serializeOpenApiDocument, type OpenApiOptions } from './openapi';
export { featuresMarkdown } from './features-markdown';
