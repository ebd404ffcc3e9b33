import { JsonSchemaType, JsonSchemaVersion, type JsonSchema } from 'aws-cdk-lib/aws-apigateway';

/**
 * The request body model API Gateway validates before invoking the Lambda (JSON Schema draft 4,
 * the only draft API Gateway supports). It checks the envelope only: either an array of rows, or
 * `{"leads": [{"features": {...}}]}`. Row length, feature names, types and ranges stay with the
 * API (libs/score-api), which answers them with per-row, per-feature `details` that the gateway's
 * one-line message cannot carry. docs/openapi.json is the full contract.
 */
export const SCORE_REQUEST_SCHEMA: JsonSchema = {
  schema: JsonSchemaVersion.DRAFT4,
  title: 'ScoreRequest',
  oneOf: [
    { type: JsonSchemaType.ARRAY, items: { type: JsonSchemaType.ARRAY } },
    {
      type: JsonSchemaType.OBJECT,
      required: ['leads'],
      properties: {
        leads: {
          type: JsonSchemaType.ARRAY,
          items: {
            type: JsonSchemaType.OBJECT,
            required: ['features'],
            properties: { lead_id: { type: JsonSchemaType.STRING }, features: { type: JsonSchemaType.OBJECT } },
          },
        },
      },
    },
  ],
};

/** JSON error bodies for API Gateway's own refusals, in the API's `{"error": {code, message}}` shape. */
export const GATEWAY_ERRORS = [
  { type: 'BAD_REQUEST_BODY', status: '422', code: 'VALIDATION_FAILED' },
  { type: 'INVALID_API_KEY', status: '401', code: 'UNAUTHORIZED' },
  { type: 'MISSING_AUTHENTICATION_TOKEN', status: '404', code: 'NOT_FOUND' },
  { type: 'THROTTLED', status: '429', code: 'RATE_LIMITED' },
  { type: 'QUOTA_EXCEEDED', status: '429', code: 'QUOTA_EXCEEDED' },
  { type: 'WAF_FILTERED', status: '403', code: 'FORBIDDEN' },
  { type: 'INTEGRATION_TIMEOUT', status: '504', code: 'UPSTREAM_TIMEOUT' },
  { type: 'DEFAULT_5XX', status: undefined, code: 'GATEWAY_ERROR' },
] as const;

/** The response template: `$context.error.messageString` is already a quoted, escaped JSON string. */
export const gatewayErrorTemplate = (code: string): string =>
  `{"error":{"code":"${code}","message":$context.error.messageString,"request_id":"$context.requestId"}}`;
