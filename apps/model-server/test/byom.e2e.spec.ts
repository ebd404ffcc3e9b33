// Models trained outside the project, bundled by `deploy-model init`, served by the model server with no code
// change; and a hot reload between two bundles of different schemas under load.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { exampleExpected, initExampleBundle, type ExampleModel } from '@lead-scoring/model-bundle/testing';
import { eventually, removeDir, startServer, tempDir, toCsv } from './support';

jest.setTimeout(120_000);

const TOLERANCE = 1e-6;
const expected = { 'fit-12': exampleExpected('fit-12'), 'intent-80': exampleExpected('intent-80') };
const versions: Record<ExampleModel, string> = { 'fit-12': '1.2.0', 'intent-80': '8.0.0' };
let work: string;
const bundles = new Map<ExampleModel, string>();

beforeAll(async () => {
  work = await tempDir();
  for (const name of ['fit-12', 'intent-80'] as const)
    bundles.set(name, await initExampleBundle(name, join(work, name), { version: versions[name] }));
});
afterAll(() => removeDir(work));

/** Copies a bundle into a SageMaker model folder the way `deploy --target local` does: temp names, then renames. */
async function deploy(name: ExampleModel, dir: string): Promise<void> {
  for (const file of ['xgboost-model', 'manifest.json']) {
    await writeFile(join(dir, `.${file}.tmp`), await readFile(join(bundles.get(name)!, file)));
    await rename(join(dir, `.${file}.tmp`), join(dir, file));
  }
}

const invoke = (url: string, name: ExampleModel, copies = 1) =>
  fetch(`${url}/invocations`, {
    method: 'POST',
    body: toCsv(Array.from({ length: copies }, () => expected[name].rows).flat()),
    headers: { 'Content-Type': 'text/csv', Accept: 'application/json' },
  });

// Bodies of several hundred kB arrive in many chunks, so a reload can land while one is being read.
const COPIES = 4;

function maxDiff(want: readonly (number | number[])[], got: readonly (number | number[])[]): number {
  expect(got).toHaveLength(want.length);
  return Math.max(...want.flatMap((w, i) => [w].flat().map((v, k) => Math.abs(v - [got[i]!].flat()[k]!))));
}

describe.each(['fit-12', 'intent-80'] as const)(
  'the model server with SM_MODEL_DIR on an init bundle of %s',
  (name) => {
    it("answers CSV rows of its feature count with XGBoost's predictions, and refuses the demo's 50 columns", async () => {
      const dir = await tempDir();
      await deploy(name, dir);
      const s = await startServer(dir);
      try {
        const res = await invoke(s.url, name);
        const other = await fetch(`${s.url}/invocations`, {
          method: 'POST',
          body: `${new Array(50).fill(1).join(',')}\n`,
          headers: { 'Content-Type': 'text/csv' },
        });

        expect([res.status, res.headers.get('x-model-version')]).toEqual([200, versions[name]]);
        expect(
          maxDiff(
            expected[name].predictions,
            ((await res.json()) as { predictions: (number | number[])[] }).predictions,
          ),
        ).toBeLessThanOrEqual(TOLERANCE);
        expect(other.status).toBe(400);
        expect(await other.text()).toContain(`the model takes ${expected[name].feature_names.length}`);
      } finally {
        await s.stop();
        await removeDir(dir);
      }
    });
  },
);

describe('hot reload between bundles of different schemas', () => {
  it("serves every request wholly by one model or the other under load: no 5xx or dropped request, never one model's rows scored by the other", async () => {
    const dir = await tempDir();
    await deploy('fit-12', dir);
    const s = await startServer(dir, { reloadIntervalMs: 20 });
    const seen: { sent: ExampleModel; status: number; version: string | null; body: string }[] = [];
    let busy = true;
    const client = async (sent: ExampleModel): Promise<void> => {
      while (busy) {
        const res = await invoke(s.url, sent, COPIES);
        seen.push({ sent, status: res.status, version: res.headers.get('x-model-version'), body: await res.text() });
      }
    };
    const traffic = Promise.all([client('fit-12'), client('intent-80'), client('fit-12'), client('intent-80')]);
    try {
      for (let i = 0; i < 8; i++) {
        const next = i % 2 === 0 ? 'intent-80' : 'fit-12';
        await deploy(next, dir);
        await eventually(() => s.holder.current?.version === versions[next]);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      busy = false;
      await traffic;
      await s.stop();
      await removeDir(dir);
    }

    const byName = (v: string | null): ExampleModel | undefined =>
      (Object.keys(versions) as ExampleModel[]).find((n) => versions[n] === v);
    const ok = seen.filter((r) => r.status === 200);
    const refused = seen.filter((r) => r.status !== 200);
    expect(seen.length).toBeGreaterThan(100);
    expect(new Set(ok.map((r) => r.version))).toEqual(new Set(Object.values(versions)));
    for (const r of ok) {
      expect(byName(r.version)).toBe(r.sent);
      const want = Array.from({ length: COPIES }, () => expected[r.sent].predictions).flat();
      expect(
        maxDiff(want, (JSON.parse(r.body) as { predictions: (number | number[])[] }).predictions),
      ).toBeLessThanOrEqual(TOLERANCE);
    }
    for (const r of refused) {
      const other = r.sent === 'fit-12' ? 'intent-80' : 'fit-12';
      expect([r.status, JSON.parse(r.body).error.code]).toEqual([400, 'FEATURE_COUNT']);
      expect(r.body).toContain(`the model takes ${expected[other].feature_names.length}`);
    }
  });

  it('scores a request with the model current once its body is complete, even when a reload lands mid-body', async () => {
    const dir = await tempDir();
    await deploy('fit-12', dir);
    const s = await startServer(dir);
    const csv = toCsv(expected['fit-12'].rows);
    try {
      const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          `${s.url}/invocations`,
          { method: 'POST', headers: { 'content-type': 'text/csv', accept: 'application/json' } },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.write(csv.slice(0, csv.length >> 1));
        // The server is reading this body when the reload lands; the rest is sent after it.
        void new Promise((r) => setTimeout(r, 100))
          .then(() => deploy('intent-80', dir))
          .then(() => s.holder.check())
          .then(() => req.end(csv.slice(csv.length >> 1)), reject);
      });

      const { status, body } = await answer;

      expect(s.holder.current?.version).toBe(versions['intent-80']);
      expect([status, JSON.parse(body).error.code]).toEqual([400, 'FEATURE_COUNT']);
      expect(body).toContain('the model takes 80');
    } finally {
      await s.stop();
      await removeDir(dir);
    }
  });
});
