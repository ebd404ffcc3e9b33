import { access, rm } from 'node:fs/promises';
import path from 'node:path';
import { loadBundle, type ModelBundle } from '@lead-scoring/model-bundle';
import { shadowColumns } from '@lead-scoring/score-api';
import { validateBundle } from '../bundle/validate-bundle';
import { DeployError } from '../errors';
import { installLocal } from '../local/install-local';

/** A bundle's name and version, as the commands print them. */
export interface BundleId {
  readonly name: string;
  readonly version: string;
}

const idOf = (b: ModelBundle): BundleId => ({ name: b.manifest.name, version: b.manifest.version });

/** Throws SHADOW_CONTRACT_MISMATCH when the challenger cannot score what production's requests carry. */
export function checkChallenger(production: ModelBundle, challenger: ModelBundle): void {
  try {
    shadowColumns(production.contract, challenger.contract);
  } catch (err) {
    throw new DeployError(
      'SHADOW_CONTRACT_MISMATCH',
      `${challenger.manifest.name}@${challenger.manifest.version}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** The bundle in a local model folder, or null when it holds none (no manifest.json). */
async function bundleIn(dir: string): Promise<ModelBundle | null> {
  if (
    !(await access(path.join(dir, 'manifest.json')).then(
      () => true,
      () => false,
    ))
  )
    return null;
  try {
    return await loadBundle(dir);
  } catch (err) {
    throw new DeployError('BUNDLE_INVALID', `${dir}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * `deploy --shadow --target local`: validates the challenger, checks it against the production bundle in
 * `modelDir` when given, and installs it into `shadowDir` (the SHADOW_MODEL_DIR of the API and the model server,
 * which pick it up within their reload interval): the model file first, manifest.json last.
 *
 * @example await deployLocalShadow({ model: 'models/v2', shadowDir: '/srv/shadow', modelDir: '/srv/model' });
 */
export async function deployLocalShadow(opts: {
  model: string;
  shadowDir: string;
  modelDir?: string | undefined;
}): Promise<{ shadow: BundleId; shadowDir: string; files: string[] }> {
  const { bundle } = await validateBundle(opts.model);
  const production = opts.modelDir ? await bundleIn(opts.modelDir) : null;
  if (production) checkChallenger(production, bundle);
  const files = await installLocal(bundle, opts.shadowDir);
  return { shadow: idOf(bundle), shadowDir: opts.shadowDir, files };
}

/**
 * `promote --target local`: the shadow bundle becomes production with the model server's zero-downtime switch
 * (installLocal into `modelDir`: in-flight requests finish on the old model, the next ones get the new one). The
 * production bundle it replaces is kept in `previousDir` (default `<modelDir>.previous`) as the rollback target,
 * and `shadowDir` is emptied (manifest.json first), so the servers stop shadowing.
 *
 * @example await promoteLocal({ modelDir: '/srv/model', shadowDir: '/srv/shadow' });
 */
export async function promoteLocal(opts: {
  modelDir: string;
  shadowDir: string;
  previousDir?: string | undefined;
}): Promise<{ promoted: BundleId; previous: (BundleId & { dir: string }) | null }> {
  const shadow = await bundleIn(opts.shadowDir);
  if (!shadow)
    throw new DeployError(
      'NO_SHADOW',
      `no shadow bundle in ${opts.shadowDir} (no manifest.json): deploy one with deploy --shadow first`,
    );
  const production = await bundleIn(opts.modelDir);
  const previousDir = opts.previousDir ?? `${opts.modelDir.replace(/[/\\]+$/, '')}.previous`;
  if (production) {
    checkChallenger(production, shadow);
    await installLocal(production, previousDir);
  }
  await installLocal(shadow, opts.modelDir);
  try {
    await rm(path.join(opts.shadowDir, 'manifest.json'), { force: true });
    await rm(path.join(opts.shadowDir, shadow.manifest.model_file), { force: true });
  } catch (err) {
    throw new DeployError(
      'LOCAL_INSTALL_FAILED',
      `promoted, but cannot empty ${opts.shadowDir}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return { promoted: idOf(shadow), previous: production ? { ...idOf(production), dir: previousDir } : null };
}
