import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_BUNDLE_DIR } from '@lead-scoring/model-bundle';
import { tempDir } from './temp';

export { tempDir };

export const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** A copy of models/demo in a fresh temp folder. */
export function copyDemoBundle(): string {
  const dir = path.join(tempDir(), 'demo');
  cpSync(DEMO_BUNDLE_DIR, dir, { recursive: true });
  return dir;
}

/**
 * Writes a valid 50-feature binary:logistic bundle built from the lead-v1/lead-v2 fixtures (trained by
 * fixtures/generate.py with real XGBoost), reusing the demo bundle's baseline.
 */
export function writeLeadBundle(dir: string, version: 'v1' | 'v2', opts: { referenceFrom?: 'v1' | 'v2' } = {}): string {
  const modelBytes = readFileSync(path.join(FIXTURES, `lead-${version}.json`));
  const demo = JSON.parse(readFileSync(path.join(DEMO_BUNDLE_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const reference = JSON.parse(readFileSync(path.join(FIXTURES, 'lead-reference.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const manifest = {
    name: 'lead-test',
    version: version === 'v1' ? '1.0.0' : '2.0.0',
    created_at: '2026-01-02T03:04:05Z',
    framework: { name: 'xgboost', version: '1.7.4' },
    model_file: 'xgboost-model',
    model_format: 'json',
    sha256: createHash('sha256').update(modelBytes).digest('hex'),
    objective: 'binary:logistic',
    num_class: 0,
    features: demo['features'],
    score_mapping: { type: 'probability_cutpoints', cutpoints: [0.2, 0.4, 0.6, 0.8] },
    baseline: demo['baseline'],
    reference: { rows: reference['rows'], predictions: reference[opts.referenceFrom ?? version] },
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'xgboost-model'), modelBytes);
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}
