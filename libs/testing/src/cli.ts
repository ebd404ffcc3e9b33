import { spawn } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import { ROOT } from './root';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a CLI entry (`main`: a .ts path, absolute or from the workspace root, run by tsx with the base tsconfig's
 * path aliases, or a built .js run by node) and collects its exit code and output.
 */
export function runCli(
  main: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<CliResult> {
  const entry = isAbsolute(main) ? main : join(ROOT, main);
  const argv = main.endsWith('.ts')
    ? [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), entry, ...args]
    : [entry, ...args];
  const env = { ...(opts.env ?? process.env), TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json') };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
