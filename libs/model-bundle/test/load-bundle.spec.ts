import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvaluatorError } from '@lead-scoring/xgboost-evaluator';
import {
  BundleError,
  BundleErrorCode,
  DEMO_BUNDLE_DIR,
  bundleFromBytes,
  checkReference,
  findDemoBundleDir,
  loadBundle,
  mapScore,
  type Manifest,
} from '../src/index';

const root = join(__dirname, '..', '..', '..');
const demoManifest = (): Manifest =>
  JSON.parse(readFileSync(join(DEMO_BUNDLE_DIR, 'manifest.json'), 'utf8')) as Manifest;
const demoModel = () => readFileSync(join(DEMO_BUNDLE_DIR, 'xgboost-model'));
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'model-bundle-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the demo bundle with the given changes, in a fresh folder. */
function bundleDir(
  name: string,
  change: { manifest?: (m: Manifest) => unknown; model?: Uint8Array | string } = {},
): string {
  const dir = join(work, name);
  cpSync(DEMO_BUNDLE_DIR, dir, { recursive: true });
  if (change.model !== undefined) writeFileSync(join(dir, 'xgboost-model'), change.model);
  if (change.manifest) writeFileSync(join(dir, 'manifest.json'), JSON.stringify(change.manifest(demoManifest())));
  return dir;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BundleError);
  return (err as BundleError).code;
}

describe('loadBundle', () => {
  it('loads the demo bundle with a 50-feature, 5-class model', async () => {
    const bundle = await loadBundle(DEMO_BUNDLE_DIR);

    expect(bundle.manifest.name).toBe('lead-scoring-demo');
    expect(bundle.model.objective).toBe('multi:softprob');
    expect([bundle.model.numFeatures, bundle.model.predictionWidth]).toEqual([50, 5]);
    expect(bundle.model.featureNames).toEqual(bundle.contract.names);
    expect(bundle.contract.features[9]).toMatchObject({
      name: 'web_visits_30d',
      min: 0,
      max: 2000,
      integer: true,
      allowMissing: false,
    });
    expect(sha256(bundle.modelBytes)).toBe(bundle.manifest.sha256);
  });

  it("reproduces XGBoost's predictions on the reference rows", async () => {
    const check = checkReference(await loadBundle(DEMO_BUNDLE_DIR));

    expect(check.rows).toBe(20);
    expect(check.maxAbsDiff).toBeLessThan(1e-5);
  });

  it("scores the reference rows as XGBoost's most probable class + 1", async () => {
    const bundle = await loadBundle(DEMO_BUNDLE_DIR);
    const ref = bundle.manifest.reference!;

    const probs = bundle.model.predict(ref.rows) as number[][];

    probs.forEach((p, r) => {
      const want = ref.predictions[r]!;
      expect(mapScore(bundle.manifest, p, 0, 5)).toBe(want.indexOf(Math.max(...want)) + 1);
    });
  });

  it('fails with BUNDLE_NOT_FOUND for a missing folder, manifest or model file', async () => {
    const noManifest = bundleDir('no-manifest');
    rmSync(join(noManifest, 'manifest.json'));
    const noModel = bundleDir('no-model');
    rmSync(join(noModel, 'xgboost-model'));

    expect(await codeOf(loadBundle(join(work, 'nowhere')))).toBe(BundleErrorCode.NOT_FOUND);
    expect(await codeOf(loadBundle(noManifest))).toBe(BundleErrorCode.NOT_FOUND);
    await expect(loadBundle(noModel)).rejects.toThrow(/xgboost-model does not exist/);
  });

  it('fails with BUNDLE_MANIFEST_INVALID for a manifest that is not JSON', async () => {
    const dir = bundleDir('bad-json');
    writeFileSync(join(dir, 'manifest.json'), '{"name": ');

    expect(await codeOf(loadBundle(dir))).toBe(BundleErrorCode.MANIFEST_INVALID);
  });

  it('fails with BUNDLE_MANIFEST_INVALID naming the bad field', async () => {
    const dir = bundleDir('bad-field', { manifest: (m) => ({ ...m, model_format: 'pickle' }) });

    await expect(loadBundle(dir)).rejects.toThrow(/manifest\.json is invalid: model_format:/);
  });

  it('fails with BUNDLE_SHA256_MISMATCH when the model file was tampered with', async () => {
    const model = demoModel();
    model[model.length - 3] = 0x20;
    const dir = bundleDir('tampered', { model });

    expect(await codeOf(loadBundle(dir))).toBe(BundleErrorCode.SHA256_MISMATCH);
  });

  it('fails with BUNDLE_FEATURES_MISMATCH for reordered or missing manifest features', async () => {
    const swap = (m: Manifest) => ({ ...m, features: [m.features[1], m.features[0], ...m.features.slice(2)] });
    const short = (m: Manifest) => ({ ...m, features: m.features.slice(0, 49) });

    await expect(loadBundle(bundleDir('swapped', { manifest: swap }))).rejects.toThrow(
      /xgboost-model has feature "company_employees" at column 0; the manifest has "annual_revenue_usd_m"/,
    );
    await expect(loadBundle(bundleDir('short', { manifest: short }))).rejects.toThrow(
      /trained on 50 features; the manifest lists 49/,
    );
    expect(await codeOf(loadBundle(bundleDir('short', { manifest: short })))).toBe(BundleErrorCode.FEATURES_MISMATCH);
  });

  it('fails with BUNDLE_MANIFEST_INVALID for a feature list with a duplicate name', async () => {
    const twice = (m: Manifest) => ({ ...m, features: [m.features[0], ...m.features.slice(0, 49)] });

    await expect(loadBundle(bundleDir('twice', { manifest: twice }))).rejects.toThrow(
      /features are invalid: feature 1 \("company_employees"\): the name appears twice/,
    );
  });

  it('accepts a legacy manifest listing bare names: any number, may be missing', async () => {
    const bare = (m: Manifest) => ({ ...m, features: m.features.map((f) => (typeof f === 'string' ? f : f.name)) });

    const bundle = await loadBundle(bundleDir('bare', { manifest: bare }));

    expect(bundle.contract.features[9]).toMatchObject({
      name: 'web_visits_30d',
      min: -Infinity,
      max: Infinity,
      allowMissing: true,
    });
  });

  it('fails with BUNDLE_FEATURES_MISMATCH when the model file names other features', async () => {
    const json = JSON.parse(demoModel().toString('utf8')) as { learner: { feature_names: string[] } };
    json.learner.feature_names[3] = 'country_code';
    const model = JSON.stringify(json);
    const dir = bundleDir('model-names', { model, manifest: (m) => ({ ...m, sha256: sha256(model) }) });

    await expect(loadBundle(dir)).rejects.toThrow(
      /xgboost-model has feature "country_code" at column 3; the manifest has "country_tier"/,
    );
  });

  it('fails with BUNDLE_OBJECTIVE_MISMATCH when the manifest names another objective', async () => {
    const dir = bundleDir('objective', { manifest: (m) => ({ ...m, objective: 'multi:softmax' }) });

    expect(await codeOf(loadBundle(dir))).toBe(BundleErrorCode.OBJECTIVE_MISMATCH);
  });

  it("fails with BUNDLE_MODEL_INVALID, keeping the evaluator's error as cause", async () => {
    const model = 'not a model at all';
    const dir = bundleDir('garbage', { model, manifest: (m) => ({ ...m, sha256: sha256(model) }) });

    const err = (await loadBundle(dir).catch((e: unknown) => e)) as BundleError;

    expect(err.code).toBe(BundleErrorCode.MODEL_INVALID);
    expect(err.cause).toBeInstanceOf(EvaluatorError);
  });
});

describe('bundleFromBytes', () => {
  it('builds a bundle from a parsed manifest and the model bytes', () => {
    const bundle = bundleFromBytes({ manifest: demoManifest(), modelBytes: demoModel(), dir: 's3://bucket/demo' });

    expect(bundle.dir).toBe('s3://bucket/demo');
    expect(bundle.model.numTrees).toBe(100);
  });

  it('validates the manifest it is given', () => {
    const call = () => bundleFromBytes({ manifest: { name: 'x' }, modelBytes: demoModel(), dir: 'mem' });

    expect(call).toThrow(BundleError);
    expect(call).toThrow(/mem\/manifest\.json is invalid/);
  });
});

describe('checkReference', () => {
  it('fails with BUNDLE_REFERENCE_MISMATCH when the recorded predictions disagree', () => {
    const manifest = demoManifest();
    manifest.reference!.predictions[4]![2]! += 0.01;
    const bundle = bundleFromBytes({ manifest, modelBytes: demoModel(), dir: 'mem' });

    expect(() => checkReference(bundle)).toThrow(expect.objectContaining({ code: BundleErrorCode.REFERENCE_MISMATCH }));
  });

  it('passes a bundle without reference rows', () => {
    const { reference: _omit, ...manifest } = demoManifest();

    expect(checkReference(bundleFromBytes({ manifest, modelBytes: demoModel(), dir: 'mem' }))).toEqual({
      rows: 0,
      maxAbsDiff: 0,
    });
  });
});

describe('DEMO_BUNDLE_DIR', () => {
  it('is the absolute path of models/demo in the workspace', () => {
    expect(DEMO_BUNDLE_DIR).toBe(join(root, 'models', 'demo'));
  });

  it('is found by walking up from any folder below the workspace, and not above it', () => {
    const nested = join(work, 'a', 'b', 'c');
    mkdirSync(nested, { recursive: true });
    mkdirSync(join(work, 'a', 'models'), { recursive: true });
    cpSync(DEMO_BUNDLE_DIR, join(work, 'a', 'models', 'demo'), { recursive: true });

    expect(findDemoBundleDir(join(root, 'libs', 'model-bundle', 'src'))).toBe(DEMO_BUNDLE_DIR);
    expect(findDemoBundleDir(nested)).toBe(join(work, 'a', 'models', 'demo'));
    expect(findDemoBundleDir('/')).toBeUndefined();
  });
});
