import { DEMO_BUNDLE_DIR, loadBundle } from '@lead-scoring/model-bundle';
import { readAppConfig } from '../app-config';
import { createClients } from '../aws/clients';
import { json, withInterrupt, type Io } from '../command-io';
import { loadEnvironment } from '../environments';
import { DeployError } from '../errors';
import { runLocalTransform } from './local-transform';
import { runTransform } from './run-transform';
import { buildTransformPlan, renderTransformPlan } from './transform-plan';

/** The flags of `batch` as commander parses them. */
export interface BatchFlags {
  target: 'sagemaker' | 'local';
  env?: string | undefined;
  input: string;
  output: string;
  instances?: number | undefined;
  model?: string | undefined;
  jobName?: string | undefined;
  dryRun?: boolean | undefined;
  config?: string | undefined;
  modelServer?: string | undefined;
  maxPayloadMb?: number | undefined;
}

/** How long `batch` waits for a job at most: a day. */
const MAX_WAIT_SECONDS = 24 * 60 * 60;

/**
 * `batch`: scores a file with a SageMaker Transform job on the environment's deployed model (`--dry-run` prints
 * the calls), or, with `--target local`, against a running model server exactly as the job would.
 *
 * @example await batchCommand(io, { target: 'sagemaker', env: 'staging', input: 's3://b/leads/', output: 's3://b/scores/', dryRun: true });
 */
export async function batchCommand(io: Io, flags: BatchFlags): Promise<void> {
  if (flags.target === 'local') {
    if (!flags.modelServer)
      throw new DeployError('USAGE', 'batch --target local needs --model-server <url> (e.g. http://127.0.0.1:8081)');
    const result = await runLocalTransform({
      modelServer: flags.modelServer,
      input: flags.input,
      output: flags.output,
      maxPayloadMb: flags.maxPayloadMb,
      onProgress: (line) => io.stderr(`${line}\n`),
    });
    io.stdout(json(result));
    return;
  }
  if (!flags.env) throw new DeployError('USAGE', 'batch needs --env <name> (or --target local)');
  const app = readAppConfig({ configFlag: flags.config });
  const environment = await loadEnvironment(app.environmentsFile, flags.env);
  const bundleDir = flags.model ?? DEMO_BUNDLE_DIR;
  const bundle = await loadBundle(bundleDir).catch((cause: unknown) => {
    throw new DeployError('BUNDLE_INVALID', `cannot load bundle ${bundleDir}: ${(cause as Error).message}`, { cause });
  });
  const plan = buildTransformPlan({
    envName: flags.env,
    environment,
    manifest: bundle.manifest,
    input: flags.input,
    output: flags.output,
    instances: flags.instances ?? environment.instanceCount,
    jobName: flags.jobName,
  });
  if (flags.dryRun) {
    io.stdout(json(renderTransformPlan(plan, app.pollSeconds)));
    return;
  }
  const sagemaker = createClients(environment.region).sagemaker;
  const result = await withInterrupt(io, (signal) =>
    runTransform(sagemaker, plan, {
      pollSeconds: app.pollSeconds,
      maxWaitSeconds: MAX_WAIT_SECONDS,
      signal,
      onProgress: (line) => io.stderr(`${line}\n`),
    }),
  );
  io.stderr(
    `${plan.jobName} completed: the scores are in ${result.outputPath} (<input object>.out, one line per input line)\n`,
  );
  io.stdout(json(result));
}
