import { spawn, type ChildProcess } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import { ROOT } from './root';

export interface Child {
  proc: ChildProcess;
  /** Everything the child printed so far, stdout and stderr interleaved. */
  output: () => string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the child has exited. */
  stop: () => Promise<void>;
}

/** Resolves with the child's exit code, at once when it has already exited. */
export function exited(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve(proc.exitCode);
    else proc.once('exit', (code) => resolve(code));
  });
}

/** Runs `tsx <script>` (absolute, or from the workspace root) with the path aliases of tsconfig.base.json and extra env. */
export function startTsx(script: string, env: NodeJS.ProcessEnv = {}): Child {
  const proc = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [isAbsolute(script) ? script : join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return {
    proc,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited(proc);
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200; fails with the child's output when it exits first or after `timeoutMs`. */
export async function waitFor200(url: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.proc.exitCode !== null)
      throw new Error(`process exited (${child.proc.exitCode}) before ${url} was up:\n${child.output()}`);
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > until) throw new Error(`${url} not up after ${timeoutMs} ms:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
