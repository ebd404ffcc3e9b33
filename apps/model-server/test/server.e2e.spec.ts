import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_BUNDLE_DIR, loadBundle, type ModelBundle } from '@lead-scoring/model-bundle';
import { demoManifestText, demoModelDir, removeDir, sampleRows, startServer, toCsv, type TestServer } from './support';

let bundle: ModelBundle;
let dir: string;
let server: TestServer;
const rows = sampleRows(50);

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: 'POST', body, headers: { 'Content-Type': 'text/csv', ...headers } });
const csvLines = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => l.split(',').map(Number));

beforeAll(async () => {
  bundle = await loadBundle(DEMO_BUNDLE_DIR);
  dir = await demoModelDir();
  server = await startServer(dir);
});

afterAll(async () => {
  await server.stop();
  await removeDir(dir);
});

describe('model server: SageMaker container contract', () => {
  it('answers /ping 200 with the loaded model once it passed its self-test', async () => {
    const res = await fetch(`${server.url}/ping`);

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      model: { name: bundle.manifest.name, version: bundle.manifest.version },
    });
  });

  it('answers /execution-parameters for batch transform', async () => {
    const res = await fetch(`${server.url}/execution-parameters`);

    expect(await res.json()).toEqual({ MaxConcurrentTransforms: 2, BatchStrategy: 'MULTI_RECORD', MaxPayloadInMB: 6 });
  });

  it('scores CSV into CSV exactly as the in-process evaluator does', async () => {
    const res = await post('/invocations', toCsv(rows), { Accept: 'text/csv' });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv');
    expect(csvLines(await res.text())).toEqual(bundle.model.predict(rows));
  });

  it('matches XGBoost’s own predictions on the manifest reference rows', async () => {
    const ref = bundle.manifest.reference!;

    const res = await post('/invocations', toCsv(ref.rows));

    csvLines(await res.text()).forEach((row, r) =>
      row.forEach((v, k) => expect(v).toBeCloseTo(ref.predictions[r]![k]!, 6)),
    );
  });

  it.each([
    ['text/csv', 'application/json'],
    ['application/json', 'text/csv'],
    ['application/json', 'application/json'],
    ['application/json', undefined],
  ])('takes %s and answers Accept %s with the same predictions', async (contentType, accept) => {
    const body = contentType === 'text/csv' ? toCsv(rows) : JSON.stringify(rows);

    const res = await post('/invocations', body, {
      'Content-Type': contentType,
      ...(accept ? { Accept: accept } : {}),
    });

    const want = bundle.model.predict(rows);
    const type = accept ?? contentType;
    expect(res.headers.get('content-type')).toBe(type);
    expect(
      type === 'text/csv' ? csvLines(await res.text()) : ((await res.json()) as { predictions: unknown }).predictions,
    ).toEqual(want);
  });

  it('tolerates CRLF line ends and no trailing newline', async () => {
    const res = await post('/invocations', toCsv(rows.slice(0, 3)).trimEnd().replace(/\n/g, '\r\n'));

    expect(csvLines(await res.text())).toEqual(bundle.model.predict(rows.slice(0, 3)));
  });

  it.each([
    [
      'a row with 49 features',
      '/invocations',
      '1,2\n'.replace('1,2', rows[0]!.slice(1).join(',')),
      'text/csv',
      'FEATURE_COUNT',
    ],
    ['a non-numeric field', '/invocations', toCsv([rows[0]!]).replace(/^[^,]*/, 'abc'), 'text/csv', 'BAD_VALUE'],
    ['malformed JSON', '/invocations', '[[1,2', 'application/json', 'BAD_JSON'],
    ['an empty body', '/invocations', '', 'text/csv', 'EMPTY_BODY'],
  ])('rejects %s with 400 and a clear message, then keeps serving', async (_what, path, body, contentType, code) => {
    const bad = await post(path, body, { 'Content-Type': contentType });
    const good = await post('/invocations', toCsv(rows.slice(0, 1)));

    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code, message: expect.any(String) } });
    expect(good.status).toBe(200);
  });

  it('rejects an unsupported Content-Type with 415 and Accept with 406', async () => {
    expect((await post('/invocations', '1', { 'Content-Type': 'text/libsvm' })).status).toBe(415);
    expect((await post('/invocations', toCsv(rows), { Accept: 'application/xml' })).status).toBe(406);
  });

  it('answers 404 for an unknown path and 405 for a wrong method', async () => {
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/invocations`)).status).toBe(405);
  });

  it('rejects a body over 6 MB with 413 and keeps serving', async () => {
    const big = toCsv(rows).repeat(Math.ceil((7 * 1024 * 1024) / toCsv(rows).length));

    const res = await post('/invocations', big);
    const after = await post('/invocations', toCsv(rows.slice(0, 1)));

    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(after.status).toBe(200);
  });
});

describe('model server: SageMaker Runtime API path', () => {
  it('scores POST /endpoints/{name}/invocations like /invocations, with the runtime headers', async () => {
    const res = await post('/endpoints/lead-scoring-local/invocations', toCsv(rows), { Accept: 'text/csv' });

    expect(res.status).toBe(200);
    expect(res.headers.get('x-amzn-invoked-production-variant')).toBe('AllTraffic');
    expect(csvLines(await res.text())).toEqual(bundle.model.predict(rows));
  });

  it('reports bad input as a 424 ModelError carrying the model’s 400, as SageMaker does', async () => {
    const res = await post('/endpoints/lead-scoring-local/invocations', '1,2,3\n');

    expect(res.status).toBe(424);
    expect(res.headers.get('x-amzn-errortype')).toBe('ModelError');
    expect(await res.json()).toMatchObject({
      ErrorCode: 'CLIENT_ERROR_FROM_MODEL',
      OriginalStatusCode: 400,
      Message: expect.stringContaining('has 3 fields, the model takes 50'),
    });
  });
});

describe('model server: loading', () => {
  it('serves a folder with only xgboost-model (no manifest)', async () => {
    const only = await demoModelDir({ manifest: false });
    const s = await startServer(only);

    const res = await fetch(`${s.url}/invocations`, {
      method: 'POST',
      body: toCsv(rows),
      headers: { 'Content-Type': 'text/csv' },
    });

    expect(csvLines(await res.text())).toEqual(bundle.model.predict(rows));
    await s.stop();
    await removeDir(only);
  });

  it('refuses a bundle whose manifest does not match the model, and /ping says 503', async () => {
    const broken = await demoModelDir();
    const manifest = JSON.parse(await demoManifestText());
    await writeFile(join(broken, 'manifest.json'), JSON.stringify({ ...manifest, sha256: '0'.repeat(64) }));
    const s = await startServer(broken);

    const ping = await fetch(`${s.url}/ping`);
    const inv = await fetch(`${s.url}/invocations`, {
      method: 'POST',
      body: toCsv(rows),
      headers: { 'Content-Type': 'text/csv' },
    });

    expect(ping.status).toBe(503);
    expect(await ping.json()).toMatchObject({ status: 'loading', error: expect.stringContaining('sha256') });
    expect(inv.status).toBe(503);
    await s.stop();
    await removeDir(broken);
  });
});
