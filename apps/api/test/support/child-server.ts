import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '@lead-scoring/testing';

export { exited, freePort, ROOT } from '@lead-scoring/testing';
export const TSX = join(ROOT, 'node_modules/.bin/tsx');

/** Polls `${url}/ready` until 200; fails early when the child exits. */
export async function waitReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server not ready in time');
}
