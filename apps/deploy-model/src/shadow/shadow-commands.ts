import { DEMO_BUNDLE_DIR } from '@lead-scoring/model-bundle';
import { readAppConfig } from '../app-config';
import { createClients } from '../aws/clients';
import type { ExecuteContext } from '../aws/deploy-executor';
import { packageBundle } from '../bundle/package-bundle';
import { validateBundle } from '../bundle/validate-bundle';
import { json, type Io } from '../command-io';
import { loadEnvironment } from '../environments';
import { DeployError } from '../errors';
import { buildDeployPlan } from '../plan/deploy-plan';
import { deployLocalShadow, promoteLocal } from './local-shadow';
import { executePromote, executeShadowDeploy, renderPromotePlan, renderShadowPlan } from './sagemaker-shadow';

/** Options of `deploy --shadow`. */
export interface ShadowDeployOptions {
  env?: string | undefined;
  model?: string | undefined;
  dryRun?: boolean | undefined;
  target: 'sagemaker' | 'local';
  modelDir?: string | undefined;
  shadowDir?: string | undefined;
  config?: string | undefined;
}

/**
 * `deploy --shadow`: installs a bundle as the shadow model. `--target local`: into `--shadow-dir` (the SHADOW_MODEL_DIR
 * of the API and the model server; checked against the production bundle in `--model-dir` when given). SageMaker:
 * the challenger as the endpoint's shadow variant (`--dry-run` prints the calls).
 */
export async function deployShadowCommand(io: Io, opts: ShadowDeployOptions): Promise<void> {
  const bundleDir = opts.model ?? DEMO_BUNDLE_DIR;
  if (opts.target === 'local') {
    if (!opts.shadowDir)
      throw new DeployError(
        'USAGE',
        'deploy --shadow --target local needs --shadow-dir <dir> (the SHADOW_MODEL_DIR of the servers)',
      );
    io.stdout(
      json({
        target: 'local',
        ...(await deployLocalShadow({ model: bundleDir, shadowDir: opts.shadowDir, modelDir: opts.modelDir })),
      }),
    );
    return;
  }
  if (!opts.env) throw new DeployError('USAGE', 'deploy --shadow needs --env <name> (or --target local)');
  const { environment, pollMs } = await environmentFor(opts.env, opts.config);
  const { bundle } = await validateBundle(bundleDir);
  const artifact = await packageBundle(bundle, environment.image.type === 'byoc' ? 'bundle' : 'builtin');
  const plan = buildDeployPlan({ envName: opts.env, environment, manifest: bundle.manifest, artifact });
  if (opts.dryRun) {
    io.stdout(
      json({
        dryRun: true,
        environment: opts.env,
        region: environment.region,
        shadow: plan.model,
        artifact: { ...plan.artifact, uri: plan.artifactUri },
        calls: renderShadowPlan(plan),
      }),
    );
    return;
  }
  io.stdout(json(await executeShadowDeploy(plan, context(io, environment.region, pollMs))));
}

/** `promote`: the shadow model becomes production (the same zero-downtime switch as a deploy); the old one is the rollback target. */
export async function promoteCommand(
  io: Io,
  opts: {
    target: 'sagemaker' | 'local';
    env?: string;
    modelDir?: string;
    shadowDir?: string;
    previousDir?: string;
    dryRun?: boolean;
    config?: string;
  },
): Promise<void> {
  if (opts.target === 'local') {
    if (!opts.modelDir || !opts.shadowDir)
      throw new DeployError(
        'USAGE',
        'promote --target local needs --model-dir <dir> (SM_MODEL_DIR) and --shadow-dir <dir> (SHADOW_MODEL_DIR)',
      );
    io.stdout(
      json({
        target: 'local',
        modelDir: opts.modelDir,
        ...(await promoteLocal({ modelDir: opts.modelDir, shadowDir: opts.shadowDir, previousDir: opts.previousDir })),
      }),
    );
    return;
  }
  if (!opts.env) throw new DeployError('USAGE', 'promote needs --env <name> (or --target local)');
  const { environment, pollMs } = await environmentFor(opts.env, opts.config);
  // Only the endpoint, its variant and the update policy matter here: the plan of any bundle carries them.
  const plan = buildDeployPlan({
    envName: opts.env,
    environment,
    manifest: { name: 'promote', version: '0.0.0', sha256: '' } as never,
    artifact: { bytes: Buffer.alloc(0), sha256: '', layout: 'builtin' },
  });
  if (opts.dryRun) {
    io.stdout(
      json({ dryRun: true, environment: opts.env, region: environment.region, calls: renderPromotePlan(plan) }),
    );
    return;
  }
  io.stdout(json(await executePromote(plan, context(io, environment.region, pollMs))));
}

async function environmentFor(
  env: string,
  config: string | undefined,
): Promise<{ environment: Awaited<ReturnType<typeof loadEnvironment>>; pollMs: number }> {
  const app = readAppConfig({ configFlag: config });
  return { environment: await loadEnvironment(app.environmentsFile, env), pollMs: app.pollSeconds * 1000 };
}

function context(io: Io, region: string, pollMs: number): ExecuteContext {
  return { clients: createClients(region), pollMs, journal: [], onProgress: (line) => io.stderr(`${line}\n`) };
}
