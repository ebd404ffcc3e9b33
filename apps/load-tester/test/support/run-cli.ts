import { runCli as runMain, type CliResult } from '@lead-scoring/testing';

export { freePort, ROOT } from '@lead-scoring/testing';

/** Environment for children: quiet logs unless a test asks otherwise. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, LOG_LEVEL: 'ERROR', ...extra };
}

/** Runs `npm run load-test -- ...args` (as tsx does) and collects its exit code and output. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runMain('apps/load-tester/src/main.ts', args, { env: childEnv(env) });
}
