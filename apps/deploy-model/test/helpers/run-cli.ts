import { ROOT, runCli as runMain, type CliResult } from '@lead-scoring/testing';

export type { CliResult } from '@lead-scoring/testing';
export const WORKSPACE = ROOT;

/** Environment with every AWS_* variable removed (proves a command needs no credentials). */
export function envWithoutAws(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return { ...env, AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

/** Spawns the CLI the way `npm run deploy-model -- ...` does. */
export function runCli(args: readonly string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return runMain('apps/deploy-model/src/main.ts', args, { env: opts.env ?? envWithoutAws() });
}
