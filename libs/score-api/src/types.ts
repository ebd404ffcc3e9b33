import type { FeatureContract, LeadWarning, ValidationPolicy } from '@lead-scoring/feature-schema';
import type { ScoredEvent as ObservedScoredEvent } from '@lead-scoring/metrics';
import type { LeadScore, Scorer } from '@lead-scoring/scoring-client';

/** A transport-neutral HTTP request; adapters (node:http, API Gateway) build it. Header names lower-case. */
export interface ApiRequest {
  method: string;
  /** The path without the query string, e.g. `/score`. */
  path: string;
  query?: Readonly<Record<string, string | undefined>> | undefined;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body?: Buffer | string | undefined;
  /** The platform's request id (API Gateway's requestContext.requestId); a random UUID otherwise. */
  requestId?: string | undefined;
}

/** A transport-neutral HTTP response. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /**
   * What the observability hooks receive once the response is sent (`ScoreApi.notify`). Plain data, not
   * a callback: a closure per response kept its request's objects (rows, results) alive across minor GCs,
   * which made each scavenge ~4x slower under load.
   */
  events?: { request?: RequestEvent | undefined; scored?: ScoredEvent | undefined } | undefined;
}

/** Routes the API answers; anything else is `unknown`. */
export type RouteName = '/score' | '/health' | '/ready' | '/openapi.json' | '/metrics' | 'unknown';

/** Emitted for every request once answered: what the Requests / RequestLatency metrics count. */
export interface RequestEvent {
  requestId: string;
  route: RouteName;
  method: string;
  status: number;
  /** Error code of a 4xx/5xx. */
  errorCode?: string | undefined;
  totalMs: number;
}

/**
 * Emitted after each successful POST /score: what drift, the data lake and the score metrics consume. It is the
 * `ScoredEvent` of @lead-scoring/metrics (where its fields are described), narrowed to what the API always sets.
 */
export interface ScoredEvent extends ObservedScoredEvent {
  readonly route: '/score';
  readonly status: 200;
  /** Parse + validation time (latency_ms.validation), ms. */
  readonly validationMs: number;
  readonly results: readonly LeadScore[];
  readonly leadIds: (string | undefined)[] | undefined;
  readonly warnings: (readonly LeadWarning[] | undefined)[] | undefined;
  readonly invalidLeads: number;
  readonly ts: number;
}

/** A Prometheus registry as prom-client's `Registry` exposes it. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string> | string;
}

/**
 * What one model bundle serves, as one unit: a request is validated against `contract` and scored by
 * `scorer` of the same unit, never a mix.
 */
export interface ServedModel {
  readonly scorer: Scorer;
  readonly contract: FeatureContract;
}

/** How to build the API core. */
export interface ScoreApiOptions {
  /** The served model, or a promise of it while it loads (`/ready` answers 503 until it resolves). */
  model: ServedModel | Promise<ServedModel>;
  /** What an out-of-range value does: flagged (`lenient`, default) or makes its lead invalid (`strict`). */
  validation?: ValidationPolicy;
  /** Most rows per request (default 1000). */
  maxRows?: number;
  /** Most leads one request may ask reason codes for with `?explain=N` (default 1000); more get 413 EXPLAIN_TOO_MANY_ROWS. */
  maxExplainRows?: number;
  /** Largest body in bytes (default 1 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** Accepted `x-api-key` values; empty = no auth. `/health` and `/ready` stay open. */
  apiKeys?: readonly string[];
  /** Served at GET /metrics; 404 without one. */
  metrics?: MetricsSource;
  onRequest?: (event: RequestEvent) => void;
  onScored?: (event: ScoredEvent) => void;
  /**
   * Durably records a 200's scored leads before the answer is returned (the lake's spool). Throwing or rejecting
   * answers 503 LAKE_UNAVAILABLE with `Retry-After` instead: a lead is never answered unless it was recorded.
   * `info.shadow` says whether a shadow result (or a skip) will follow for these leads.
   */
  record?: (event: ScoredEvent, info: RecordInfo) => void | Promise<void>;
  /**
   * Scores each 200's leads again with a shadow model once the answer has left (`notify`): see ShadowRunner.
   * Never on the response path, never able to fail a request.
   */
  shadow?: ShadowSink;
  /** Why the API cannot take requests now (e.g. the lake is unwritable), or undefined: `/ready` answers 503 while set. */
  unavailable?: () => string | undefined;
  /** Called with unexpected errors (answered 500 INTERNAL); log them here. */
  onError?: (error: unknown, requestId: string) => void;
}

/** What the `record` hook is told besides the event. */
export interface RecordInfo {
  /** True when the shadow model will report on these leads after the answer (a result or a skip). */
  readonly shadow: boolean;
}

/** Where the score API hands each answered score request for shadow scoring (a ShadowRunner). */
export interface ShadowSink {
  /** True while a shadow model is set. */
  active(): boolean;
  /** Queues the request; never throws, never waits. */
  submit(event: ScoredEvent): void;
}

/** The API core: one function from request to response, for every transport. */
export interface ScoreApi {
  handleRequest(req: ApiRequest): Promise<ApiResponse>;
  /** Runs the onScored / onRequest hooks of a response; adapters call it right after sending it (off the reply path). */
  notify(res: ApiResponse): void;
  /** True once the scorer is available. */
  isReady(): boolean;
}
