import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../test/support/child-server';

/** Starts `tsx apps/api/src/main.ts` (what `npm start` runs) on a free port and waits for /ready. */
export async function startCluster(
  root: string,
  workers: number,
  extraEnv: Record<string, string> = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['apps/api/src/main.ts'], {
    cwd: root,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.base.json'), PORT: String(port), WORKERS: String(workers), LOG_LEVEL: 'WARN', ...extraEnv },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/ready`).then((r) => r.status === 200, () => false);
    if (ok) {
      // Every worker must be up before measuring: /ready from one is not enough, so give the rest a moment.
      await new Promise((r) => setTimeout(r, 1000));
      return {
        url,
        stop: () =>
          new Promise<void>((resolve) => {
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('server not ready in time');
}
