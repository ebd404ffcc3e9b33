import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { NUM_FEATURES } from './features';
import {
  ErrorResponseSchema,
  HealthResponseSchema,
  ScoreRequestSchema,
  ScoreResponseSchema,
} from './schemas';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const ERROR_RESPONSES = {
  400: ['BadRequest', 'Invalid request: bad JSON, wrong row length, a value of the wrong type or out of range, unknown or duplicate feature names, an empty or too large batch.'],
  401: ['Unauthorized', 'Missing or wrong x-api-key (when API keys are configured).'],
  404: ['NotFound', 'Unknown route.'],
  405: ['MethodNotAllowed', 'Method not allowed on this route.'],
  413: ['PayloadTooLarge', 'Body larger than the limit (1 MiB by default).'],
  415: ['UnsupportedMediaType', 'Content-Type is not application/json.'],
} as const satisfies Record<number, readonly [string, string]>;

type ErrorStatus = keyof typeof ERROR_RESPONSES;

const errorRefs = (codes: readonly ErrorStatus[]) =>
  Object.fromEntries(codes.map((c) => [c, { $ref: `#/components/responses/${ERROR_RESPONSES[c][0]}` }]));

/**
 * The OpenAPI 3.1 document of the scoring API, generated from the zod schemas.
 * Committed as docs/openapi.json (tools/demo-model/write-openapi.ts) and served at GET /openapi.json.
 *
 * @example
 * const doc = buildOpenApiDocument(); // doc.paths['/score'].post
 */
export function buildOpenApiDocument(): Record<string, unknown> {
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
          .max(NUM_FEATURES)
          .optional()
          .meta({ description: 'Attach the N strongest reason codes (TreeSHAP contributions) to each result.' }),
      }),
      body: {
        required: true,
        description: `Either an array of rows (${NUM_FEATURES} values each, in feature order) or {"leads": [...]} with features by name.`,
        content: json(ScoreRequestSchema),
      },
    },
    responses: {
      200: { description: 'One result per lead, in request order.', content: json(response) },
      ...errorRefs([400, 401, 404, 405, 413, 415]),
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

  const doc = new OpenApiGeneratorV31([{ type: 'schema', schema: ErrorResponseSchema }, ...registry.definitions]).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Lead scoring API',
      version: '1.0.0',
      description: `Real-time scores (1..5) for B2B leads described by ${NUM_FEATURES} features. Unknown routes get 404 with an ErrorResponse.`,
    },
    servers: [{ url: 'http://localhost:8080', description: 'npm start' }],
  });
  return doc as unknown as Record<string, unknown>;
}

/** The document as committed: keys sorted recursively, 2-space indent, trailing newline. */
export function serializeOpenApiDocument(doc: unknown = buildOpenApiDocument()): string {
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
