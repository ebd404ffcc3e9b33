import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { FeatureContract } from './contract';
import type { ValidationPolicy } from './lead-validator';
import { ErrorResponseSchema, HealthResponseSchema, ScoreResponseSchema } from './response-schemas';
import { requestSchemas } from './schemas';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const ERROR_RESPONSES = {
  400: [
    'BadRequest',
    'Malformed request: not JSON, NaN or Infinity spelled out, nesting too deep, a duplicate or forbidden key, a bad query parameter.',
  ],
  401: ['Unauthorized', 'Missing or wrong x-api-key (when API keys are configured).'],
  404: ['NotFound', 'Unknown route.'],
  405: ['MethodNotAllowed', 'Method not allowed on this route.'],
  413: [
    'PayloadTooLarge',
    'Body larger than the limit (1 MiB by default), or more leads than allowed (1,000 by default).',
  ],
  415: ['UnsupportedMediaType', 'Content-Type is not application/json.'],
  422: [
    'UnprocessableContent',
    'The body has the wrong shape, holds no leads, or every lead in it is invalid (details name the row and feature). A batch with some valid leads is answered 200, the invalid ones carrying an error.',
  ],
  503: ['ServiceUnavailable', 'The model is not loaded yet.'],
} as const satisfies Record<number, readonly [string, string]>;

type ErrorStatus = keyof typeof ERROR_RESPONSES;

const errorRefs = (codes: readonly ErrorStatus[]) =>
  Object.fromEntries(codes.map((c) => [c, { $ref: `#/components/responses/${ERROR_RESPONSES[c][0]}` }]));

/** What the document describes besides the features. */
export interface OpenApiOptions {
  /** The model served, named in the description. */
  model?: { name: string; version: string };
  /** The validation policy served (default lenient). */
  policy?: ValidationPolicy;
  /** The largest `explain` accepted (default 50). */
  maxExplain?: number;
}

/**
 * The OpenAPI 3.1 document of the scoring API for one model's feature contract, generated from the zod
 * schemas. The demo bundle's is committed as docs/openapi.json (tools/demo-model/write-openapi.ts); the API
 * serves its own model's at GET /openapi.json.
 *
 * @example
 * const doc = buildOpenApiDocument(contract, { model: { name: 'lead-scoring-demo', version: '1.0.0' } });
 */
export function buildOpenApiDocument(contract: FeatureContract, opts: OpenApiOptions = {}): Record<string, unknown> {
  const n = contract.size;
  const policy = opts.policy ?? 'lenient';
  const { ScoreRequestSchema } = requestSchemas(contract, policy);
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'ApiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: 'Required on /score when the API is configured with API_KEYS.',
  });
  // The schemas carry `.meta({ id })`, which makes each a named component the paths $ref.
  for (const [name, description] of Object.values(ERROR_RESPONSES)) {
    registry.registerComponent('responses', name, {
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
    });
  }
  const response = ScoreResponseSchema;
  const health = HealthResponseSchema;

  registry.registerPath({
    method: 'post',
    path: '/score',
    operationId: 'scoreLeads',
    summary: 'Score a batch of leads (1 = coldest .. 5 = hottest)',
    security: [{ ApiKey: [] }],
    request: {
      query: z.object({
        explain: z
          .int()
          .min(0)
          .max(opts.maxExplain ?? 50)
          .optional()
          .meta({ description: 'Attach the N strongest reason codes (TreeSHAP contributions) to each result.' }),
      }),
      body: {
        required: true,
        description:
          `Either an array of rows (${n} values each, in feature column order) or {"leads": [...]} with features by name. ` +
          (policy === 'strict'
            ? 'A value outside its published range, or a fraction where a whole number is published, makes its lead invalid.'
            : "A value outside its published range, or a fraction where a whole number is published, is scored and reported in the result's warnings."),
        content: json(ScoreRequestSchema),
      },
    },
    responses: {
      200: {
        description: 'One result per lead, in request order: a score, or an error for an invalid lead.',
        content: json(response),
      },
      ...errorRefs([400, 401, 404, 405, 413, 415, 422, 503]),
    },
  });
  const simpleGet = (path: string, summary: string, extra: Record<number, unknown>) =>
    registry.registerPath({ method: 'get', path, summary, responses: { ...extra, ...errorRefs([404, 405]) } });
  simpleGet('/health', 'Liveness: the process answers', { 200: { description: 'Alive.', content: json(health) } });
  simpleGet('/ready', 'Readiness: the model is loaded', {
    200: { description: 'Ready to score.', content: json(health) },
    503: { description: 'Not ready yet.', content: json(health) },
  });
  simpleGet('/metrics', 'Prometheus metrics', {
    200: { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: z.string() } } },
  });
  simpleGet('/openapi.json', 'This document', {
    200: { description: 'The OpenAPI 3.1 document.', content: json(z.record(z.string(), z.unknown())) },
  });

  const doc = new OpenApiGeneratorV31([
    { type: 'schema', schema: ErrorResponseSchema },
    ...registry.definitions,
  ]).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Lead scoring API',
      version: '1.0.0',
      description:
        `Real-time scores (1..5) for B2B leads described by ${n} features` +
        (opts.model ? ` (model ${opts.model.name} ${opts.model.version})` : '') +
        '. Unknown routes get 404 with an ErrorResponse.',
    },
    servers: [{ url: 'http://localhost:8080', description: 'npm start' }],
  });
  return doc as unknown as Record<string, unknown>;
}

/** The document as committed: keys sorted recursively, 2-space indent, trailing newline. */
export function serializeOpenApiDocument(doc: unknown): string {
  return `${JSON.stringify(sortKeys(doc), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(obj)
      .sort()
      .map((k) => [k, sortKeys(obj[k])]),
  );
}
