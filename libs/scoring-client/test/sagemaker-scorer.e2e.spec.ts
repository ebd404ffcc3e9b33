import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { DEMO_BUNDLE_DIR, loadBundle, type ModelBundle } from '@lead-scoring/model-bundle';
import { rowsToFloat32 } from '@lead-scoring/xgboost-evaluator';
import { InProcessScorer } from '../src/inprocess-scorer';
import { SageMakerScorer, type SageMakerScorerOptions, type ScorerOutcome } from '../src/sagemaker-scorer';
import type { ScoreBatch } from '../src/scorer';
import { startFakeEndpoint, type FakeEndpoint } from '../src/testing';

// Short timings so the fault paths run fast; production defaults are 800 ms / 5 failures / 5 s.
const DEADLINE_MS = 300;
const SLACK_MS = 400;

let bundle: ModelBundle;
let local: InProcessScorer;
let endpoint: FakeEndpoint;
const scorers: SageMakerScorer[] = [];

function makeScorer(over: Partial<SageMakerScorerOptions> = {}): {
  scorer: SageMakerScorer;
  outcomes: ScorerOutcome[];
} {
  const outcomes: ScorerOutcome[] = [];
  const scorer = new SageMakerScorer({
    bundle,
    endpointName: 'lead-scoring-test',
    region: 'us-east-1',
    endpointUrl: endpoint.url,
    timeoutMs: DEADLINE_MS,
    maxRetries: 2,
    breakerFailures: 50,
    breakerHalfOpenMs: 200,
    retryBaseDelayMs: 5,
    local,
    onOutcome: (o) => outcomes.push(o),
    ...over,
  });
  scorers.push(scorer);
  return { scorer, outcomes };
}

function batchOf(n: number, seed = 1): ScoreBatch {
  const rng = mulberry32(seed);
  const rows = Array.from({ length: n }, () => sampleLead(bundle.contract.features, rng));
  return { x: rowsToFloat32(rows, bundle.model.numFeatures), nRows: n };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result?: T; error?: unknown }> {
  const t0 = performance.now();
  try {
    const result = await fn();
    return { ms: performance.now() - t0, result };
  } catch (error) {
    return { ms: performance.now() - t0, error };
  }
}

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  bundle = await loadBundle(DEMO_BUNDLE_DIR);
  local = new InProcessScorer(bundle);
});

beforeEach(async () => {
  endpoint = await startFakeEndpoint(bundle.model);
});

afterEach(async () => {
  await Promise.all(scorers.splice(0).map((s) => s.close()));
  await endpoint.stop();
});

describe('SageMakerScorer against an endpoint', () => {
  it('gives the same scores, probabilities and reasons as the in-process scorer', async () => {
    const { scorer, outcomes } = makeScorer();
    const batch = { ...batchOf(50), explain: 3 };

    const remote = await scorer.score(batch);
    const inprocess = await local.score(batch);

    expect(remote.degraded).toBe(false);
    expect(remote.results).toEqual(inprocess.results);
    expect(outcomes).toEqual(['ok']);
  });

  it('answers UPSTREAM_TIMEOUT (504) within its deadline when the endpoint is slower', async () => {
    const { scorer, outcomes } = makeScorer();
    endpoint.behaviour = { kind: 'slow', delayMs: DEADLINE_MS * 4 };

    const { ms, error } = await timed(() => scorer.score(batchOf(5)));

    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', status: 504 });
    expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(outcomes).toEqual(['timeout']);
  });

  it('answers UPSTREAM_TIMEOUT when the endpoint never answers', async () => {
    const { scorer } = makeScorer();
    endpoint.behaviour = { kind: 'hang' };

    const { ms, error } = await timed(() => scorer.score(batchOf(1)));

    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
  });

  it('retries a 500 twice, then answers UPSTREAM_ERROR (502)', async () => {
    const { scorer, outcomes } = makeScorer();
    endpoint.behaviour = { kind: 'status', status: 500 };

    const { error } = await timed(() => scorer.score(batchOf(3)));

    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 502 });
    expect(endpoint.requests).toBe(3);
    expect(outcomes).toEqual(['retry', 'retry', 'error']);
  });

  it('retries throttling and succeeds when the endpoint recovers', async () => {
    const { scorer, outcomes } = makeScorer();
    endpoint.behaviour = { kind: 'status', status: 400, errorType: 'ThrottlingException', times: 1 };

    const result = await scorer.score(batchOf(3));

    expect(result.degraded).toBe(false);
    expect(endpoint.requests).toBe(2);
    expect(outcomes).toEqual(['retry', 'ok']);
  });

  it('does not retry a garbage answer and reports UPSTREAM_BAD_RESPONSE (502)', async () => {
    const { scorer } = makeScorer();
    endpoint.behaviour = { kind: 'garbage' };

    const { error } = await timed(() => scorer.score(batchOf(2)));

    expect(error).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', status: 502 });
    expect(endpoint.requests).toBe(1);
  });

  it('answers UPSTREAM_UNAVAILABLE (503) quickly when connections are refused', async () => {
    const { scorer } = makeScorer();
    await endpoint.stop();

    const { ms, error } = await timed(() => scorer.score(batchOf(2)));

    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
    expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
  });

  it('falls back to the in-process model, marked degraded, when the endpoint stops mid-run', async () => {
    const { scorer, outcomes } = makeScorer({ fallback: true });
    const batch = batchOf(10);
    const before = await scorer.score(batch);
    await endpoint.stop();

    const { ms, result } = await timed(() => scorer.score(batch));

    expect(before.degraded).toBe(false);
    expect(result?.degraded).toBe(true);
    expect(result?.results).toEqual(before.results);
    expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(outcomes.slice(-2)).toEqual(['error', 'fallback']);
  });

  it('opens the circuit after repeated failures, then recovers once the endpoint does', async () => {
    const { scorer, outcomes } = makeScorer({ breakerFailures: 2, maxRetries: 0, breakerHalfOpenMs: 150 });
    endpoint.behaviour = { kind: 'status', status: 500 };
    await timed(() => scorer.score(batchOf(1)));
    await timed(() => scorer.score(batchOf(1)));

    const open = await timed(() => scorer.score(batchOf(1)));
    const requestsWhileOpen = endpoint.requests;
    endpoint.behaviour = { kind: 'ok' };
    await new Promise((r) => setTimeout(r, 200));
    const recovered = await scorer.score(batchOf(1));

    expect(open.error).toMatchObject({ code: 'CIRCUIT_OPEN', status: 503 });
    expect(requestsWhileOpen).toBe(2);
    expect(recovered.degraded).toBe(false);
    expect(scorer.circuitState).toBe('closed');
    expect(outcomes).toEqual(['error', 'error', 'circuit_open', 'ok']);
  });

  it('answers from the fallback while the circuit is open', async () => {
    const { scorer, outcomes } = makeScorer({ breakerFailures: 1, maxRetries: 0, fallback: true });
    endpoint.behaviour = { kind: 'status', status: 503, errorType: 'ServiceUnavailable' };
    await scorer.score(batchOf(1));

    const result = await scorer.score(batchOf(1));

    expect(result.degraded).toBe(true);
    expect(scorer.circuitState).toBe('open');
    expect(outcomes).toEqual(['error', 'fallback', 'circuit_open', 'fallback']);
  });
});
