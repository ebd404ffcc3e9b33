import { spawn } from 'node:child_process';
import path from 'node:path';

export const WORKSPACE = path.resolve(__dirname, '..', '..', '..', '..');
const TSX = path.join(WORKSPACE, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const MAIN = path.join(WORKSPACE, 'apps', 'deploy-model', 'src', 'main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment with every AWS_* variable removed (proves a command needs no credentials). */
export function envWithoutAws(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  // Path aliases come from the base tsconfig until the workspace root has a tsconfig.json of its own.
  return { ...env, AWS_EC2_METADATA_DISABLED: 'true', TSX_TSCONFIG_PATH: path.join(WORKSPACE, 'tsconfig.base.json'), ...extra };
}

/** Spawns the CLI the way `npm run deploy-model -- ...` does (tsx on src/main.ts). */
export function runCli(args: readonly string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, MAIN, ...args], { cwd: WORKSPACE, env: opts.env ?? envWithoutAws() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
