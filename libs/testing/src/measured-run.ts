import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** How a measured child process ended. */
export interface MeasuredRun {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** The child's peak resident set (VmHWM), MB: threads included, since they share the process. */
  peakRssMb: number;
}

function vmHwmKb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs a command and measures its wall time and peak RSS by polling `/proc/<pid>/status` (VmHWM, the kernel's
 * high-water mark, so a poll every 20 ms misses nothing but growth in the child's last 20 ms). Linux only.
 *
 * @example const run = await runMeasured(process.execPath, ['tools/cli/launch.cjs', 'deploy-model', '--help'], { cwd: ROOT });
 */
export function runMeasured(
  command: string,
  args: readonly string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, [...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    const poll = (): void => {
      const kb = child.pid === undefined ? undefined : vmHwmKb(child.pid);
      if (kb !== undefined && kb > peakKb) peakKb = kb;
    };
    const timer = setInterval(poll, 20);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.on('exit', () => poll());
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({
        code,
        stdout,
        stderr,
        seconds: (performance.now() - started) / 1000,
        peakRssMb: Math.round(peakKb / 1024),
      });
    });
  });
}
