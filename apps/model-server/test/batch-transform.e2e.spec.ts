import { DEMO_BUNDLE_DIR, loadBundle, type ModelBundle } from '@lead-scoring/model-bundle';
import { mulberry32 } from '@lead-scoring/feature-schema/testing';
import { readConfig } from '../src/config';
import { decodeCsvBytes } from '../src/request-codec';
import { demoModelDir, removeDir, sampleRows, startServer, toCsv, type TestServer } from './support';

const MB = 1024 * 1024;
const rows = sampleRows(50);
const block = toCsv(rows);
/** Whole rows of the sample, repeated to about `bytes` long. */
const bodyOf = (bytes: number): string => block.repeat(Math.floor(bytes / block.length));

describe('model server: the Batch Transform contract', () => {
  let bundle: ModelBundle;
  let dir: string;
  let small: TestServer;
  let large: TestServer;

  beforeAll(async () => {
    bundle = await loadBundle(DEMO_BUNDLE_DIR);
    dir = await demoModelDir();
    // What main.ts starts with SAGEMAKER_MAX_PAYLOAD_IN_MB=1 and =20.
    small = await startServer(dir, {
      maxPayloadBytes: readConfig({ SAGEMAKER_MAX_PAYLOAD_IN_MB: '1' }).maxPayloadMb * MB,
    });
    large = await startServer(dir, {
      maxPayloadBytes: readConfig({ SAGEMAKER_MAX_PAYLOAD_IN_MB: '20' }).maxPayloadMb * MB,
    });
  });
  afterAll(async () => {
    await Promise.all([small.stop(), large.stop()]);
    await removeDir(dir);
  });

  const post = (server: TestServer, path: string, body: string) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'text/csv', Accept: 'text/csv' },
    });

  it('reads MaxPayloadInMB from SAGEMAKER_MAX_PAYLOAD_IN_MB, 6 MB when unset or 0, naming the variable when malformed', () => {
    expect(readConfig({}).maxPayloadMb).toBe(6);
    expect(readConfig({ SAGEMAKER_MAX_PAYLOAD_IN_MB: '0' }).maxPayloadMb).toBe(6);
    expect(readConfig({ SAGEMAKER_MAX_PAYLOAD_IN_MB: '100' }).maxPayloadMb).toBe(100);
    expect(() => readConfig({ SAGEMAKER_MAX_PAYLOAD_IN_MB: '101' })).toThrow(/^SAGEMAKER_MAX_PAYLOAD_IN_MB: /);
    expect(() => readConfig({ SAGEMAKER_MAX_PAYLOAD_IN_MB: '6MB' })).toThrow(
      /^SAGEMAKER_MAX_PAYLOAD_IN_MB: must be a whole number/,
    );
  });

  it('advertises its payload limit and batch strategy at /execution-parameters', async () => {
    expect(await (await fetch(`${small.url}/execution-parameters`)).json()).toEqual({
      MaxConcurrentTransforms: 2,
      BatchStrategy: 'MULTI_RECORD',
      MaxPayloadInMB: 1,
    });
    expect(await (await fetch(`${large.url}/execution-parameters`)).json()).toMatchObject({ MaxPayloadInMB: 20 });
  });

  it('scores a multi-record body up to the limit, one answer line per record in order', async () => {
    const body = bodyOf(MB - 1);

    const res = await post(small, '/invocations', body);

    expect(res.status).toBe(200);
    const lines = (await res.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(body.split('\n').length - 1);
    const expected = bundle.model.predict(rows) as number[][];
    lines.forEach((line, i) => expect(line.split(',').map(Number)).toEqual(expected[i % rows.length]));
  });

  it('takes a body over the 6 MB real-time limit when the job allows it', async () => {
    const res = await post(large, '/invocations', bodyOf(8 * MB));

    expect(res.status).toBe(200);
  });

  it("refuses a body over the job's limit: 413 PAYLOAD_TOO_LARGE, and SageMaker's ValidationError on the runtime path", async () => {
    const body = bodyOf(MB + block.length * 2);

    const container = await post(small, '/invocations', body);
    const runtime = await post(small, '/endpoints/lead-scoring-local/invocations', body);

    expect(container.status).toBe(413);
    expect(await container.json()).toEqual({
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.stringMatching(/over 1048576 bytes \(1 MB: SAGEMAKER_MAX_PAYLOAD_IN_MB/),
      },
    });
    expect(runtime.status).toBe(413);
    expect(runtime.headers.get('x-amzn-errortype')).toBe('ValidationError');
    expect(await runtime.json()).toEqual({ message: expect.stringContaining('over 1048576 bytes') });
    expect((await post(small, '/invocations', block)).status).toBe(200);
  });
});

describe('decodeCsvBytes', () => {
  it('reads every field as Number() does: long decimals, exponents, signs, spaces and missing values', () => {
    const rng = mulberry32(9);
    const field = (): string => {
      const u = rng();
      if (u < 0.1) return '';
      if (u < 0.15) return ' nan ';
      const v = (rng() - 0.5) * 10 ** Math.floor(rng() * 12 - 4);
      if (u < 0.3) return v.toExponential(Math.floor(rng() * 10));
      if (u < 0.4) return ` ${v.toFixed(3)}`;
      return String(v);
    };
    const lines = Array.from({ length: 2000 }, () => Array.from({ length: 7 }, field));

    const { x, nRows } = decodeCsvBytes(Buffer.from(`${lines.map((l) => l.join(',')).join('\r\n')}\r\n\n`), 7);

    expect(nRows).toBe(2000);
    const want = lines.flat().map((f) => (f.trim() === '' || f.trim() === 'nan' ? Number.NaN : Math.fround(Number(f))));
    expect(Array.from(x)).toEqual(want);
  });
});
