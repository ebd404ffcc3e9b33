import { runCli } from '../../src/cli';
import type { CliResult } from './run-cli';

/** Runs the CLI in this process (same commander program and error handling as main.ts), capturing its output. */
export async function runInProcess(args: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
