// Reason codes through the API core with the real evaluator: a large explain request does not hold up a
// small request that arrives while it is in progress.
import { DEMO_BUNDLE_DIR, loadBundle, type ModelBundle } from '@lead-scoring/model-bundle';
import { InProcessScorer } from '@lead-scoring/scoring-client';
import { createScoreApi } from '../src/score-api';
import type { ApiRequest } from '../src/types';

let bundle: ModelBundle;
beforeAll(async () => {
  bundle = await loadBundle(DEMO_BUNDLE_DIR);
});

const post = (rows: readonly (readonly (number | null)[])[], explain?: number): ApiRequest => ({
  method: 'POST',
  path: '/score',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(rows),
  ...(explain ? { query: { explain: String(explain) } } : {}),
});

describe('?explain with the real evaluator', () => {
  it('answers a 1-lead request that arrives while a 1,000-lead explain request is in progress first', async () => {
    const { rows } = bundle.manifest.reference!;
    const api = createScoreApi({ model: { scorer: new InProcessScorer(bundle), contract: bundle.contract } });
    const many = Array.from({ length: 1000 }, (_, i) => rows[i % rows.length]!);
    const answered: string[] = [];

    const large = api.handleRequest(post(many, 3)).then((res) => answered.push(`large ${res.status}`));
    const small = api.handleRequest(post(rows.slice(0, 1), 3)).then((res) => answered.push(`small ${res.status}`));
    await Promise.all([large, small]);

    expect(answered).toEqual(['small 200', 'large 200']);
  });

  it('gives every lead of a 1,000-lead request its reason codes', async () => {
    const { rows } = bundle.manifest.reference!;
    const api = createScoreApi({ model: { scorer: new InProcessScorer(bundle), contract: bundle.contract } });
    const many = Array.from({ length: 1000 }, (_, i) => rows[i % rows.length]!);

    const res = await api.handleRequest(post(many, 3));

    const results = (JSON.parse(res.body) as { results: { reasons?: unknown[] }[] }).results;
    expect(results).toHaveLength(1000);
    expect(results.every((r) => r.reasons?.length === 3)).toBe(true);
  });
});
