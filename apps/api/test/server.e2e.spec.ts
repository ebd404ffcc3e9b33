import fc from 'fast-check';
import { ErrorResponseSchema, ScoreResponseSchema, type ScoredResult } from '@lead-scoring/feature-schema';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { loadConfig } from '../src/config';
import { startServer, type RunningServer } from '../src/server';

const SPECS = demoFeatures();
let server: RunningServer;

jest.setTimeout(30_000);

beforeAll(async () => {
  // LAKE=off: the lake has tests of its own; here it would write into the repository's ./var/lake.
  process.env['LAKE'] = 'off';
  server = await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'SILENT', MAX_ROWS: '100' }), { host: '127.0.0.1' });
});

afterAll(() => server.shutdown());

type Json = { status?: string; openapi?: string; error: { code: string } };
const json = async (res: Response): Promise<Json> => (await res.json()) as Json;

const post = (body: string, contentType = 'application/json', query = '') =>
  fetch(`${server.url}/score${query}`, { method: 'POST', headers: { 'content-type': contentType }, body });

describe('the local server over HTTP', () => {
  it('answers /health, /ready, /openapi.json and /metrics', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const ready = await fetch(`${server.url}/ready`);
    expect([ready.status, (await json(ready)).status]).toEqual([200, 'ready']);
    const doc = await json(await fetch(`${server.url}/openapi.json`));
    expect(doc.openapi).toMatch(/^3\.1/);
    expect((await fetch(`${server.url}/metrics`)).headers.get('content-type')).toContain('text/plain');
  });

  it('scores 50 rows of both forms, in request order, the same either way', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => sampleLead(SPECS, mulberry32(i)));
    const named = {
      leads: rows.map((r, i) => ({
        lead_id: `lead-${i}`,
        features: Object.fromEntries(SPECS.map((s) => s.name).flatMap((n, j) => (r[j] === null ? [] : [[n, r[j]]]))),
      })),
    };

    const a = ScoreResponseSchema.parse(await (await post(JSON.stringify(rows))).json()).results as ScoredResult[];
    const b = ScoreResponseSchema.parse(
      await (await post(JSON.stringify(named), 'application/json', '?explain=2')).json(),
    ).results as ScoredResult[];

    expect(b.map((r) => r.lead_id)).toEqual(rows.map((_, i) => `lead-${i}`));
    expect(b.map((r) => r.score)).toEqual(a.map((r) => r.score));
    expect(new Set(a.map((r) => r.score)).size).toBeGreaterThan(1);
    expect(b[0]!.reasons).toHaveLength(2);
  });

  it('survives random bodies: every answer is 200 or a JSON 4xx, never a 5xx, and it still answers after', async () => {
    const valueArb = fc.oneof(fc.constant(null), fc.double(), fc.integer(), fc.string(), fc.boolean(), fc.constant({}));
    const rowArb = fc.array(valueArb, { minLength: 48, maxLength: 52 });
    const bodyArb = fc.oneof(
      fc.string(),
      fc.json(),
      fc.array(rowArb, { maxLength: 3 }).map((b) => JSON.stringify(b)),
      fc
        .array(fc.tuple(fc.constantFrom('[', ']', '{', '}', ',', '"', ':', '1', 'NaN', 'null', '"__proto__"')), {
          maxLength: 60,
        })
        .map((t) => t.join('')),
      fc
        .record({ leads: fc.array(fc.record({ features: fc.dictionary(fc.string(), valueArb) }), { maxLength: 3 }) })
        .map((b) => JSON.stringify(b)),
    );
    await fc.assert(
      fc.asyncProperty(bodyArb, fc.constantFrom('application/json', 'text/plain'), async (body, ct) => {
        const res = await post(body, ct);
        const json: unknown = await res.json();
        if (res.status !== 200) {
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(ErrorResponseSchema.safeParse(json).success).toBe(true);
        }
      }),
      { numRuns: 300, seed: 1234 },
    );
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  }, 120_000);

  it('rejects a body over MAX_BODY_BYTES with 413 and 100k nested arrays with 400', async () => {
    const big = await post('[' + '0,'.repeat(600_000) + '0]');
    expect([big.status, (await json(big)).error.code]).toEqual([413, 'BODY_TOO_LARGE']);
    const deep = await post('['.repeat(100_000) + ']'.repeat(100_000));
    expect([deep.status, (await json(deep)).error.code]).toEqual([400, 'NESTING_TOO_DEEP']);
  });
});
