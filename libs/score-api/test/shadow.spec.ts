import { setTimeout as sleep } from 'node:timers/promises';
import { createFeatureContract, type FeatureContract, type FeatureSpec } from '@lead-scoring/feature-schema';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoContract } from '@lead-scoring/model-bundle/testing';
import type { ScoreBatch, ScoreBatchResult, Scorer } from '@lead-scoring/scoring-client';
import { createScoreApi } from '../src/score-api';
import { shadowColumns } from '../src/shadow-contract';
import { ShadowRunner, type ShadowResult, type ShadowSkip } from '../src/shadow-runner';
import type { ApiRequest, RecordInfo, ScoredEvent } from '../src/types';
import { FakeScorer } from './fake-scorer';

const CONTRACT = demoContract();
const rows = (n: number, seed: number): unknown[][] =>
  Array.from({ length: n }, (_, i) => sampleLead(CONTRACT.features, mulberry32(seed + i)));
const post = (body: unknown): ApiRequest => ({
  method: 'POST',
  path: '/score',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** A shadow scorer whose score is 6 - (the production fake's score), so a mix-up shows; or one that throws or stalls. */
class ShadowFake implements Scorer {
  readonly kind = 'inprocess' as const;
  readonly model = { name: 'challenger', version: '2.0.0' };
  readonly batches: ScoreBatch[] = [];
  constructor(private readonly behaviour: 'ok' | 'throw' | 'stall' = 'ok') {}

  score(batch: ScoreBatch): Promise<ScoreBatchResult> {
    this.batches.push(batch);
    if (this.behaviour === 'throw') return Promise.reject(new Error('shadow model exploded'));
    if (this.behaviour === 'stall') return new Promise(() => undefined);
    const width = batch.x.length / batch.nRows;
    const results = Array.from({ length: batch.nRows }, (_, i) => {
      const v = batch.x[i * width]!;
      const production = 1 + (Number.isNaN(v) ? 0 : Math.floor(v) % 5);
      return { score: (6 - production) as 1 | 2 | 3 | 4 | 5, probabilities: [0.2, 0.2, 0.2, 0.2, 0.2] };
    });
    return Promise.resolve({ results, modelMs: 0.02, degraded: false });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function setUp(behaviour: 'ok' | 'throw' | 'stall', over: { maxQueueLeads?: number; timeoutMs?: number } = {}) {
  const shadowScorer = new ShadowFake(behaviour);
  const results: [ScoredEvent, ShadowResult][] = [];
  const skips: [ScoredEvent, ShadowSkip][] = [];
  const recorded: RecordInfo[] = [];
  const runner = new ShadowRunner({
    production: CONTRACT,
    shadow: { scorer: shadowScorer, contract: CONTRACT },
    timeoutMs: over.timeoutMs ?? 50,
    maxQueueLeads: over.maxQueueLeads ?? 10_000,
    onResult: (e, r) => results.push([e, r]),
    onSkip: (e, why) => skips.push([e, why]),
  });
  const api = createScoreApi({
    model: { scorer: new FakeScorer(), contract: CONTRACT },
    shadow: runner,
    record: (_e, info) => void recorded.push(info),
  });
  return { api, runner, shadowScorer, results, skips, recorded };
}

describe('shadow scoring in the score API', () => {
  it('scores every valid lead with the shadow model only after the answer is handed over, in request order', async () => {
    const { api, runner, shadowScorer, results, recorded } = setUp('ok');
    const body = rows(4, 1);
    body[2] = ['not', 'a', 'lead'];

    const res = await api.handleRequest(post(body));
    const beforeNotify = shadowScorer.batches.length;
    api.notify(res);
    await runner.idle();

    expect(res.status).toBe(200);
    expect(beforeNotify).toBe(0);
    expect(recorded).toEqual([{ shadow: true }]);
    const production = (JSON.parse(res.body) as { results: { score?: number }[] }).results.filter(
      (r) => r.score !== undefined,
    );
    expect(results).toHaveLength(1);
    expect(results[0]![1].model).toEqual({ name: 'challenger', version: '2.0.0' });
    expect(results[0]![1].results.map((r) => r.score)).toEqual(production.map((r) => 6 - r.score!));
  });

  it('answers every request with the production scores while the shadow model throws, reporting each as an error', async () => {
    const { api, runner, skips } = setUp('throw');
    const plain = createScoreApi({ model: { scorer: new FakeScorer(), contract: CONTRACT } });

    for (let i = 0; i < 5; i++) {
      const req = post(rows(3, 10 * i));
      const [res, expected] = [await api.handleRequest(req), await plain.handleRequest(req)];
      api.notify(res);
      expect([res.status, JSON.parse(res.body).results]).toEqual([200, JSON.parse(expected.body).results]);
    }
    await runner.idle();

    expect(skips.map(([, why]) => why)).toEqual(['error', 'error', 'error', 'error', 'error']);
  });

  it('keeps answering while the shadow model stalls: stalled batches time out, and what cannot wait is skipped', async () => {
    const { api, runner, skips } = setUp('stall', { maxQueueLeads: 6, timeoutMs: 30 });

    const answers: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await api.handleRequest(post(rows(2, 100 + i)));
      api.notify(res);
      answers.push(res.status);
    }
    await runner.idle(2_000);

    expect(answers).toEqual([200, 200, 200, 200, 200, 200]);
    const reasons = skips.map(([, why]) => why);
    expect(reasons).toHaveLength(6);
    expect(reasons.filter((r) => r === 'queue_full').length).toBeGreaterThan(0);
    expect(reasons.filter((r) => r === 'timeout').length).toBeGreaterThan(0);
  });

  it('skips a request that waited longer than the lag bound rather than scoring it late', async () => {
    const skips: ShadowSkip[] = [];
    const runner = new ShadowRunner({
      production: CONTRACT,
      shadow: { scorer: new ShadowFake('ok'), contract: CONTRACT },
      maxLagMs: 0,
      onResult: () => undefined,
      onSkip: (_e, why) => skips.push(why),
    });
    const api = createScoreApi({ model: { scorer: new FakeScorer(), contract: CONTRACT }, shadow: runner });

    const res = await api.handleRequest(post(rows(2, 7)));
    api.notify(res);
    await sleep(5);
    await runner.idle();

    expect(skips).toEqual(['lag']);
  });

  it('tells the recorder no shadow result will come when no shadow model is set', async () => {
    const recorded: RecordInfo[] = [];
    const runner = new ShadowRunner({
      production: CONTRACT,
      shadow: null,
      onResult: () => undefined,
      onSkip: () => undefined,
    });
    const api = createScoreApi({
      model: { scorer: new FakeScorer(), contract: CONTRACT },
      shadow: runner,
      record: (_e, info) => void recorded.push(info),
    });

    api.notify(await api.handleRequest(post(rows(1, 3))));

    expect(recorded).toEqual([{ shadow: false }]);
  });
});

describe('shadowColumns', () => {
  const spec = (name: string, allowMissing = true): FeatureSpec => ({
    name,
    description: '',
    unit: '',
    kind: 'number',
    min: -Infinity,
    max: Infinity,
    integer: false,
    allowMissing,
  });
  const contract = (...specs: FeatureSpec[]): FeatureContract => createFeatureContract(specs);

  it('passes rows unchanged to a shadow with the same features in the same order', () => {
    expect(shadowColumns(contract(spec('a'), spec('b')), contract(spec('a'), spec('b')))).toBeNull();
  });

  it('maps a shadow that reads a subset of production features in another order to production columns', () => {
    expect(
      Array.from(shadowColumns(contract(spec('a'), spec('b'), spec('c')), contract(spec('c'), spec('a')))!),
    ).toEqual([2, 0]);
  });

  it('refuses a shadow that needs a feature production requests do not carry, naming it', () => {
    expect(() => shadowColumns(contract(spec('a')), contract(spec('a'), spec('z')))).toThrow(
      expect.objectContaining({
        code: 'SHADOW_CONTRACT_MISMATCH',
        message: expect.stringContaining('do not carry: z'),
      }),
    );
  });

  it('refuses a shadow that requires a feature production lets a request leave missing', () => {
    expect(() => shadowColumns(contract(spec('a', true)), contract(spec('a', false)))).toThrow(/leave missing: a/);
  });

  it('feeds the remapped columns to the shadow model', async () => {
    const production = contract(spec('a'), spec('b'), spec('c'));
    const scorer = new ShadowFake('ok');
    const runner = new ShadowRunner({
      production,
      shadow: { scorer, contract: contract(spec('c'), spec('a')) },
      onResult: () => undefined,
      onSkip: () => undefined,
    });
    const e = { requestId: 'r', nRows: 2, x: Float32Array.of(1, 2, 3, 4, 5, 6) } as unknown as ScoredEvent;

    runner.submit(e);
    await runner.idle();

    expect(Array.from(scorer.batches[0]!.x)).toEqual([3, 1, 6, 4]);
  });
});
