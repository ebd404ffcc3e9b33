import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import type { ApiRequest, ApiResponse } from '@lead-scoring/score-api';

/** The two API Gateway payload formats the handler accepts: REST API (v1) and HTTP API (v2). */
export type ApiGatewayEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;
export type ApiGatewayResult = APIGatewayProxyResult & APIGatewayProxyStructuredResultV2;

/** True for an HTTP API payload v2 event (`version: "2.0"`). */
export function isV2(event: ApiGatewayEvent): event is APIGatewayProxyEventV2 {
  return (event as APIGatewayProxyEventV2).version === '2.0';
}

/**
 * Maps an API Gateway event (v1 or v2) to the core's request: lower-case headers, base64 bodies
 * decoded to bytes, the stage prefix of v2's `rawPath` removed, `requestContext.requestId` as request id.
 *
 * @example
 * const res = await api.handleRequest(toApiRequest(event));
 */
export function toApiRequest(event: ApiGatewayEvent): ApiRequest {
  const body = event.body == null ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
  if (isV2(event)) {
    const stage = event.requestContext.stage;
    let path = event.rawPath || '/';
    // With a named stage, v2's rawPath starts with it ("/prod/score"); v1's `path` never does.
    if (stage && stage !== '$default' && path.startsWith(`/${stage}/`)) path = path.slice(stage.length + 1);
    return {
      method: event.requestContext.http.method.toUpperCase(),
      path,
      query: event.queryStringParameters,
      headers: lowerCase(event.headers),
      body,
      requestId: event.requestContext.requestId,
    };
  }
  return {
    method: event.httpMethod.toUpperCase(),
    path: event.path || '/',
    query: event.queryStringParameters ?? undefined,
    headers: lowerCase(event.headers),
    body,
    requestId: event.requestContext?.requestId,
  };
}

/**
 * The core's response as a Lambda proxy result (the same shape serves v1 and v2).
 *
 * @example
 * return toApiGatewayResult(await api.handleRequest(req));
 */
export function toApiGatewayResult(res: ApiResponse): ApiGatewayResult {
  return { statusCode: res.status, headers: res.headers, body: res.body, isBase64Encoded: false };
}

// API Gateway REST passes headers in the client's case; HTTP API lower-cases them already.
function lowerCase(
  headers: Readonly<Record<string, string | undefined>> | null | undefined,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (!headers) return out;
  for (const key of Object.keys(headers)) out[key.toLowerCase()] = headers[key];
  return out;
}
