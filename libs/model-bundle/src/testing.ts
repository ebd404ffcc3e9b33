/**
 * Test helpers for other projects (imported as `@lead-scoring/model-bundle/testing`): the demo bundle's
 * feature contract, read synchronously, and the example models of `models/examples`.
 */
/* eslint-disable security/detect-non-literal-fs-filename -- fixed files under the workspace's models/ folder */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createFeatureContract,
  featureSpecsFromJson,
  type FeatureContract,
  type FeatureSpec,
} from '@lead-scoring/feature-schema';
import { DEMO_BUNDLE_DIR } from './demo-dir';
import { ManifestSchema } from './manifest';

/**
 * The demo bundle's features, in column order.
 *
 * @example
 * const row = sampleLead(demoFeatures(), mulberry32(1));
 */
export function demoFeatures(): FeatureSpec[] {
  const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(DEMO_BUNDLE_DIR, 'manifest.json'), 'utf8')));
  return featureSpecsFromJson(manifest.features);
}

/** The demo bundle's feature contract. */
export function demoContract(): FeatureContract {
  return createFeatureContract(demoFeatures());
}

/** The example models of `models/examples`, trained outside the project (tools/example-models). */
export type ExampleModel = 'fit-12' | 'intent-80';

const EXAMPLE_FILES: Record<ExampleModel, string> = { 'fit-12': 'model.json', 'intent-80': 'model.ubj' };

/** The folder of an example model (its model file, `sample.csv`, `expected.json`). */
export function exampleModelDir(name: ExampleModel): string {
  return join(DEMO_BUNDLE_DIR, '..', 'examples', name);
}

/** XGBoost's own outputs on the first sample rows of an example model (`expected.json`). */
export interface ExampleExpected {
  xgboost_version: string;
  objective: string;
  num_class: number;
  feature_names: string[];
  rows: (number | null)[][];
  predictions: (number | number[])[];
  margins: (number | number[])[];
  contribs: (number[] | number[][])[];
}

/** Reads an example model's `expected.json`. */
export function exampleExpected(name: ExampleModel): ExampleExpected {
  return JSON.parse(readFileSync(join(exampleModelDir(name), 'expected.json'), 'utf8')) as ExampleExpected;
}

/**
 * Bundles an example model the way a new user does, with the real CLI in a child process:
 * `deploy-model init --model … --sample sample.csv --out <outDir> --name <name> --version 1.0.0` (or `opts.version`).
 * Resolves to `outDir`; rejects with the CLI's stderr when it fails.
 *
 * @example
 * const dir = await initExampleBundle('fit-12', join(tmp, 'fit-12'));
 */
export async function initExampleBundle(
  name: ExampleModel,
  outDir: string,
  opts: { version?: string } = {},
): Promise<string> {
  const root = join(DEMO_BUNDLE_DIR, '..', '..');
  const src = exampleModelDir(name);
  const args = [
    'init',
    '--model',
    join(src, EXAMPLE_FILES[name]),
    '--sample',
    join(src, 'sample.csv'),
    '--out',
    outDir,
    '--name',
    name,
    '--version',
    opts.version ?? '1.0.0',
  ];
  const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const env = { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.base.json'), SOURCE_DATE_EPOCH: '1796601600' };
  try {
    await promisify(execFile)(process.execPath, [tsx, join(root, 'apps', 'deploy-model', 'src', 'main.ts'), ...args], {
      cwd: root,
      env,
    });
  } catch (err) {
    throw new Error(`deploy-model init ${name} failed: ${(err as { stderr?: string }).stderr ?? String(err)}`, {
      cause: err,
    });
  }
  return outDir;
}
