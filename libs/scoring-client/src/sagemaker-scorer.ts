import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import {
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleAll,
  handleWhen,
  retry,
  timeout,
  wrap,
  type IDisposable,
  type IPolicy,
} from 'cockatiel';
import type { ModelBundle } from '@lead-scoring/model-bundle';
import { encodeCsvRows, parseCsvPredictions } from './csv-codec';
import { ScoringErrorCode } from './errors';
import { toLeadScores } from './lead-scores';
import type { LeadScore, ScoreBatch, ScoreBatchResult, Scorer } from './scorer';
import { isTransientUpstreamError, toScoringError } from './upstream-errors';

/** What happened on one SageMaker call; `retry` is reported once per retried attempt. */
export type ScorerOutcome = 'ok' | 'retry' | 'timeout' | 'error' | 'circuit_open' | 'fallback';

export interface SageMakerScorerOptions {
  /** The bundle whose manifest maps predictions to scores (and whose model explains and falls back). */
  bundle: ModelBundle;
  endpointName: string;
  region: string;
  /** Custom endpoint, e.g. the local model server `http://127.0.0.1:8081`. */
  endpointUrl?: string;
  /** Whole-call deadline, retries included, ms. Default 800 so the API's 1 s SLO holds. */
  timeoutMs?: number;
  /** Retries after the first attempt, for throttling, 5xx and refused connections only. Default 2. */
  maxRetries?: number;
  /** Consecutive failed calls that open the circuit. Default 5. */
  breakerFailures?: number;
  /** How long the circuit stays open before one trial call, ms. Default 5000. */
  breakerHalfOpenMs?: number;
  /** First retry delay, ms (exponential with decorrelated jitter, capped at 4x). Default 20. */
  retryBaseDelayMs?: number;
  /** The in-process scorer: computes reason codes, and answers when `fallback` is on. */
  local: Scorer;
  /** Answer from `local` (`degraded: true`) instead of throwing when the endpoint fails. */
  fallback?: boolean;
  onOutcome?: (outcome: ScorerOutcome) => void;
  /** A ready client (tests); otherwise one is built with a keep-alive handler. */
  client?: SageMakerRuntimeClient;
}

/**
 * Scores through a SageMaker real-time endpoint (InvokeEndpoint, CSV in and out) with a deadline,
 * jittered retries for transient failures, a circuit breaker, and optional in-process fallback.
 *
 * @example
 * const scorer = new SageMakerScorer({ bundle, endpointName: 'lead-scoring', region: 'us-east-1', local: new InProcessScorer(bundle) });
 * const { results, degraded } = await scorer.score({ x, nRows });
 */
export class SageMakerScorer implements Scorer {
  readonly kind = 'sagemaker' as const;
  readonly model: { readonly name: string; readonly version: string };
  private readonly client: SageMakerRuntimeClient;
  private readonly ownsClient: boolean;
  private readonly policy: IPolicy;
  private readonly breaker: ReturnType<typeof circuitBreaker>;
  private readonly listeners: IDisposable[] = [];
  private readonly timeoutMs: number;
  private readonly numFeatures: number;
  private readonly width: number;

  constructor(private readonly opts: SageMakerScorerOptions) {
    const { bundle } = opts;
    this.model = { name: bundle.manifest.name, version: bundle.manifest.version };
    this.timeoutMs = opts.timeoutMs ?? 800;
    this.numFeatures = bundle.model.numFeatures;
    this.width = bundle.model.predictionWidth;
    this.ownsClient = opts.client === undefined;
    this.client = opts.client ?? buildClient(opts, this.timeoutMs);

    const base = opts.retryBaseDelayMs ?? 20;
    const retryPolicy = retry(handleWhen(isTransientUpstreamError), {
      maxAttempts: opts.maxRetries ?? 2,
      backoff: new ExponentialBackoff({ initialDelay: base, maxDelay: base * 4 }),
    });
    this.breaker = circuitBreaker(handleAll, {
      halfOpenAfter: opts.breakerHalfOpenMs ?? 5_000,
      breaker: new ConsecutiveBreaker(opts.breakerFailures ?? 5),
    });
    // Aggressive: the deadline rejects on time even if the socket ignores the abort signal.
    const deadline = timeout(this.timeoutMs, TimeoutStrategy.Aggressive);
    this.policy = wrap(deadline, retryPolicy, this.breaker);
    this.listeners.push(retryPolicy.onRetry(() => this.emit('retry')));
  }

  /** The breaker's state, for health checks: `closed`, `open`, `half-open` or `isolated`. */
  get circuitState(): 'closed' | 'open' | 'half-open' | 'isolated' {
    const names = {
      [CircuitState.Closed]: 'closed',
      [CircuitState.Open]: 'open',
      [CircuitState.HalfOpen]: 'half-open',
      [CircuitState.Isolated]: 'isolated',
    } as const;
    return names[this.breaker.state];
  }

  async score(batch: ScoreBatch): Promise<ScoreBatchResult> {
    const started = performance.now();
    let results: LeadScore[];
    try {
      results = await this.policy.execute(({ signal }) => this.invoke(batch, signal));
    } catch (err) {
      const failure = toScoringError(err, this.timeoutMs);
      const code = failure.code;
      this.emit(
        code === ScoringErrorCode.CIRCUIT_OPEN
          ? 'circuit_open'
          : code === ScoringErrorCode.UPSTREAM_TIMEOUT
            ? 'timeout'
            : 'error',
      );
      if (!this.opts.fallback) throw failure;
      const local = await this.opts.local.score(batch);
      this.emit('fallback');
      return { ...local, degraded: true };
    }
    const modelMs = performance.now() - started;
    this.emit('ok');
    if (batch.explain !== undefined && batch.explain > 0) {
      const explainMs = await this.attachReasons(batch, results);
      return { results, modelMs, degraded: false, ...(explainMs === undefined ? {} : { explainMs }) };
    }
    return { results, modelMs, degraded: false };
  }

  async close(): Promise<void> {
    for (const l of this.listeners.splice(0)) l.dispose();
    if (this.ownsClient) this.client.destroy();
  }

  private async invoke(batch: ScoreBatch, signal: AbortSignal): Promise<LeadScore[]> {
    const body = encodeCsvRows(batch.x, batch.nRows, this.numFeatures);
    const out = await this.client.send(
      new InvokeEndpointCommand({
        EndpointName: this.opts.endpointName,
        ContentType: 'text/csv',
        Accept: 'text/csv',
        Body: body,
      }),
      { abortSignal: signal },
    );
    const text = out.Body ? Buffer.from(out.Body).toString('utf8') : '';
    const predictions = parseCsvPredictions(text, batch.nRows, this.width);
    const { manifest, model } = this.opts.bundle;
    return toLeadScores({ manifest, objective: model.objective, predictions, nRows: batch.nRows, width: this.width });
  }

  // Reason codes need TreeSHAP over the trees, which the endpoint does not return: they are computed
  // in-process from the bundle's model (the same model the endpoint serves when the versions match).
  private async attachReasons(batch: ScoreBatch, results: LeadScore[]): Promise<number | undefined> {
    const local = await this.opts.local.score(batch);
    for (let r = 0; r < results.length; r++) {
      const reasons = local.results[r]?.reasons;
      if (reasons) (results[r] as LeadScore).reasons = reasons;
    }
    return local.explainMs;
  }

  private emit(outcome: ScorerOutcome): void {
    this.opts.onOutcome?.(outcome);
  }
}

function buildClient(opts: SageMakerScorerOptions, timeoutMs: number): SageMakerRuntimeClient {
  // Keep-alive reuses the TCP (and TLS) connection: a fresh TLS handshake alone costs more than a 50-row prediction.
  const agentOpts = { keepAlive: true, maxSockets: 64 };
  return new SageMakerRuntimeClient({
    region: opts.region,
    ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
    // Retries are ours (bounded, inside the deadline); the SDK's own would stack on top.
    maxAttempts: 1,
    // Options for the SDK's NodeHttpHandler (the SDK builds it; no direct @smithy import needed).
    requestHandler: {
      httpAgent: new HttpAgent(agentOpts),
      httpsAgent: new HttpsAgent(agentOpts),
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
    },
  });
}
