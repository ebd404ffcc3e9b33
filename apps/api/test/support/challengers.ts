import { join } from 'node:path';
import { DEMO_BUNDLE_DIR, loadBundle, type ModelBundle } from '@lead-scoring/model-bundle';
import { exampleModelDir, initExampleBundle } from '@lead-scoring/model-bundle/testing';
import { toLeadScores, type LeadScore } from '@lead-scoring/scoring-client';
import { ROOT, runCli } from '@lead-scoring/testing';

/** The production models the shadow tests pair with a challenger: the demo (5 classes) and the two examples. */
export type ShadowCase = 'demo' | 'fit-12' | 'intent-80';
export const SHADOW_CASES: readonly ShadowCase[] = ['demo', 'fit-12', 'intent-80'];

const FIXTURES = join(__dirname, '..', 'fixtures', 'shadow');
const MODEL_FILE: Record<ShadowCase, string> = { demo: 'model.json', 'fit-12': 'model.json', 'intent-80': 'model.ubj' };

/** The production bundle of a case: models/demo, or the example model bundled by `deploy-model init` into `work`. */
export async function productionBundle(kind: ShadowCase, work: string): Promise<string> {
  return kind === 'demo' ? DEMO_BUNDLE_DIR : initExampleBundle(kind, join(work, `${kind}-production`));
}

/**
 * The challenger of a case (its production model cut to its first rounds by XGBoost, fixtures/shadow/
 * make_challengers.py), bundled by the real `deploy-model init` as version 2.0.0 into `work`.
 */
export async function challengerBundle(kind: ShadowCase, work: string): Promise<string> {
  const out = join(work, `${kind}-challenger`);
  const sample = kind === 'demo' ? join(FIXTURES, 'demo', 'sample.csv') : join(exampleModelDir(kind), 'sample.csv');
  const args = [
    'init',
    '--model',
    join(FIXTURES, kind, MODEL_FILE[kind]),
    '--sample',
    sample,
    '--out',
    out,
    '--name',
    `${kind}-challenger`,
    '--version',
    '2.0.0',
  ];
  if (kind === 'demo') args.push('--features', join(FIXTURES, 'demo', 'features.json'));
  const res = await runCli(join(ROOT, 'apps', 'deploy-model', 'src', 'main.ts'), args, {
    env: { ...process.env, SOURCE_DATE_EPOCH: '1796601600' },
  });
  if (res.code !== 0) throw new Error(`deploy-model init ${kind} challenger failed (${res.code}): ${res.stderr}`);
  return out;
}

/** What the bundle's model gives for these rows, evaluated directly (no API, no shadow runner). */
export function directScores(bundle: ModelBundle, x: Float32Array, nRows: number): LeadScore[] {
  const width = bundle.model.predictionWidth;
  const predictions = bundle.model.predictBatch(x, nRows);
  return toLeadScores({ manifest: bundle.manifest, objective: bundle.model.objective, predictions, nRows, width });
}

/** Both bundles of a case, loaded. */
export async function loadCase(
  kind: ShadowCase,
  work: string,
): Promise<{ production: ModelBundle; challenger: ModelBundle; dirs: [string, string] }> {
  const dirs: [string, string] = [await productionBundle(kind, work), await challengerBundle(kind, work)];
  return { production: await loadBundle(dirs[0]), challenger: await loadBundle(dirs[1]), dirs };
}
