import { DEMO_BUNDLE_DIR } from '@lead-scoring/model-bundle';
import type { OutputKind } from '@lead-scoring/xgboost-evaluator';
import { readAppConfig } from './app-config';
import { createClients } from './aws/clients';
import { executeDeploy } from './aws/deploy-executor';
import { endpointStatus, rollbackEndpoint } from './aws/endpoint-ops';
import { pruneEndpoint } from './aws/prune';
import { packageBundle, writeArtifact, type PackageLayout } from './bundle/package-bundle';
import { validateBundle } from './bundle/validate-bundle';
import { loadEnvironment, type Environment } from './environments';
import { json, withInterrupt, type Io } from './command-io';
import { DeployError } from './errors';
import { initBundle, type InitOptions } from './init/init-bundle';
import { initSummary } from './init/init-summary';
import { installLocal } from './local/install-local';
import { buildDeployPlan } from './plan/deploy-plan';
import { renderPlan } from './plan/render-plan';
import { runPredict } from './predict/run-predict';

export type { Io } from './command-io';

/** `predict`: scores a rows file; stdout is exactly `{"predictions": ...}`. */
export async function predictCommand(
  io: Io,
  opts: { model: string; input: string; output: OutputKind },
): Promise<void> {
  io.stdout(`${JSON.stringify(await runPredict(opts))}\n`);
}

/**
 * `init`: makes a bundle from a model file and its training sample; stderr gets the summary and next commands,
 * stdout the JSON of what was written.
 */
export async function initCommand(io: Io, opts: Omit<InitOptions, 'sourceDateEpoch'>): Promise<void> {
  const result = await initBundle({ ...opts, sourceDateEpoch: readAppConfig({}).sourceDateEpoch });
  io.stderr(initSummary(result));
  const m = result.bundle.manifest;
  io.stdout(
    json({
      out: result.out,
      name: m.name,
      version: m.version,
      objective: m.objective,
      features: result.bundle.contract.size,
      score_mapping: m.score_mapping,
      sample_rows: result.sampleRows,
      reference_rows: result.report.reference?.rows ?? 0,
    }),
  );
}

/** `validate`: loads and checks a bundle, prints the report. */
export async function validateCommand(io: Io, opts: { model: string }): Promise<void> {
  const { report } = await validateBundle(opts.model);
  io.stderr(`bundle ${report.name}@${report.version} is valid\n`);
  io.stdout(json(report));
}

/** `package`: validates a bundle and writes its reproducible model.tar.gz. */
export async function packageCommand(
  io: Io,
  opts: { model: string; out: string; layout: PackageLayout },
): Promise<void> {
  const { bundle } = await validateBundle(opts.model);
  const artifact = await packageBundle(bundle, opts.layout);
  await writeArtifact(artifact, opts.out);
  io.stdout(json({ out: opts.out, sha256: artifact.sha256, bytes: artifact.bytes.length, layout: artifact.layout }));
}

async function environmentFor(opts: {
  env: string;
  config?: string | undefined;
}): Promise<{ environment: Environment; pollMs: number }> {
  const app = readAppConfig({ configFlag: opts.config });
  return { environment: await loadEnvironment(app.environmentsFile, opts.env), pollMs: app.pollSeconds * 1000 };
}

/** Options of `deploy`. */
export interface DeployOptions {
  env?: string | undefined;
  model?: string | undefined;
  dryRun?: boolean | undefined;
  target: 'sagemaker' | 'local';
  modelDir?: string | undefined;
  config?: string | undefined;
}

/** `deploy`: validate, then install locally, print the plan (--dry-run), or run it against AWS. */
export async function deployCommand(io: Io, opts: DeployOptions): Promise<void> {
  const bundleDir = opts.model ?? DEMO_BUNDLE_DIR;
  if (opts.target === 'local') {
    if (!opts.modelDir)
      throw new DeployError('USAGE', "deploy --target local needs --model-dir <dir> (the model server's SM_MODEL_DIR)");
    const { bundle, report } = await validateBundle(bundleDir);
    const files = await installLocal(bundle, opts.modelDir);
    io.stdout(json({ target: 'local', modelDir: opts.modelDir, files, name: report.name, version: report.version }));
    return;
  }
  if (!opts.env) throw new DeployError('USAGE', 'deploy needs --env <name> (or --target local)');
  const { environment, pollMs } = await environmentFor({ env: opts.env, config: opts.config });
  const { bundle } = await validateBundle(bundleDir);
  const artifact = await packageBundle(bundle, environment.image.type === 'byoc' ? 'bundle' : 'builtin');
  const plan = buildDeployPlan({ envName: opts.env, environment, manifest: bundle.manifest, artifact });
  if (opts.dryRun) {
    io.stdout(json(renderPlan(plan)));
    return;
  }
  const journal: string[] = [];
  try {
    const result = await withInterrupt(io, (signal) =>
      executeDeploy(plan, {
        clients: createClients(environment.region),
        pollMs,
        signal,
        journal,
        onProgress: (line) => io.stderr(`${line}\n`),
      }),
    );
    io.stdout(json(result));
  } catch (err) {
    io.stderr(
      journal.length > 0
        ? `done before the failure:\n  ${journal.join('\n  ')}\n`
        : 'nothing was changed in AWS before the failure\n',
    );
    io.stderr('re-running the same command resumes: every step skips what already exists\n');
    throw err;
  }
}

/** `status`: the endpoint's state as JSON. */
export async function statusCommand(io: Io, opts: { env: string; config?: string | undefined }): Promise<void> {
  const { environment } = await environmentFor(opts);
  io.stdout(json(await endpointStatus(createClients(environment.region).sagemaker, environment.endpointName)));
}

/** `rollback`: back to the previous endpoint config, waiting for InService. */
export async function rollbackCommand(io: Io, opts: { env: string; config?: string | undefined }): Promise<void> {
  const { environment, pollMs } = await environmentFor(opts);
  const sagemaker = createClients(environment.region).sagemaker;
  const result = await withInterrupt(io, (signal) =>
    rollbackEndpoint(sagemaker, environment, { pollMs, signal, onProgress: (line) => io.stderr(`${line}\n`) }),
  );
  io.stdout(json({ endpointName: environment.endpointName, ...result }));
}

/** `prune`: deletes old endpoint configs and models, keeping the newest N and everything in use. */
export async function pruneCommand(
  io: Io,
  opts: { env: string; keep: number; dryRun?: boolean | undefined; config?: string | undefined },
): Promise<void> {
  const { environment } = await environmentFor(opts);
  const result = await pruneEndpoint(createClients(environment.region).sagemaker, environment, {
    keep: opts.keep,
    dryRun: opts.dryRun ?? false,
  });
  io.stdout(json(result));
}
