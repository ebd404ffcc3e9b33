import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Workspace root (this file is apps/load-tester/test/support). */
export const ROOT = join(__dirname, '..', '..', '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** Environment for tsx children: path aliases come from the base tsconfig until the root has its own. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json'), LOG_LEVEL: 'ERROR', ...extra };
}

/** Runs `npm run load-test -- ...args` (as tsx does) and collects its exit code and output. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(TSX, [join(ROOT, 'apps/load-tester/src/main.ts'), ...args], { cwd: ROOT, env: childEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
