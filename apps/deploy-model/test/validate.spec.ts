import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { validateBundle } from '../src/bundle/validate-bundle';
import { DeployError } from '../src/errors';
import { copyDemoBundle, tempDir, writeLeadBundle } from './helpers/bundles';

describe('validate', () => {
  let root: string;
  beforeAll(() => (root = tempDir()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('accepts the demo bundle, scores the samples 1..5 and matches its reference predictions', async () => {
    const { report } = await validateBundle(copyDemoBundle());
    expect(report.numFeatures).toBe(50);
    expect(report.sampleScores.every((s) => s >= 1 && s <= 5)).toBe(true);
    expect(report.reference?.rows).toBeGreaterThan(0);
  });

  it('accepts a binary:logistic bundle whose reference predictions came from XGBoost', async () => {
    const { report } = await validateBundle(writeLeadBundle(path.join(root, 'v1'), 'v1'));
    expect(report).toMatchObject({
      name: 'lead-test',
      version: '1.0.0',
      objective: 'binary:logistic',
      reference: { rows: 4 },
    });
  });

  it('refuses a bundle whose reference predictions the model does not reproduce', async () => {
    const dir = writeLeadBundle(path.join(root, 'mismatch'), 'v1', { referenceFrom: 'v2' });
    await expect(validateBundle(dir)).rejects.toMatchObject({ code: 'REFERENCE_MISMATCH' });
  });

  it('refuses a bundle whose model file no longer matches the manifest sha256', async () => {
    const dir = writeLeadBundle(path.join(root, 'tampered'), 'v1');
    writeFileSync(path.join(dir, 'xgboost-model'), '{"tampered": true}');
    const err = await validateBundle(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeployError);
    expect(err).toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringMatching(/BUNDLE_SHA256_MISMATCH/) });
  });

  it('refuses a folder that is not a bundle', async () => {
    await expect(validateBundle(path.join(root, 'nothing-here'))).rejects.toMatchObject({ code: 'BUNDLE_INVALID' });
  });
});
