import { readFileSync } from 'node:fs';
import { freePort, startTsx, waitFor200, type Child } from '@lead-scoring/testing';

/** A scoring API started by {@link startApi}. */
export interface RunningApi {
  /** `http://127.0.0.1:<port>` */
  url: string;
  child: Child;
  /**
   * SIGTERM, then waits until every process of the server has exited: the primary publishes the lake spool before it
   * exits, which can take a while after a saturating run. Past 90 s the whole tree is killed, never left behind.
   */
  stop: () => Promise<void>;
}

/** The longest a stop may take: above the server's own 60 s bound on its last publish. */
const STOP_MS = 90_000;

/** `pid` and every process under it (tsx, the cluster's primary, its workers), from /proc. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // gone already
  }
  return [pid, ...children.flatMap(processTree)];
}

/** True while `pid` runs (a zombie has finished: it only waits to be reaped). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Starts the scoring API as `npm start` runs it (`apps/api/src/main.ts`, a cluster of `WORKERS`, default 2) on a free
 * port with `env` over this process's, and resolves once every worker serves: the server prints its banner only then.
 *
 * @example
 * const api = await startApi({ LAKE_DIR: dir, METRICS: 'off' });
 * try { await fetch(`${api.url}/ready`); } finally { await api.stop(); }
 */
export async function startApi(env: Record<string, string> = {}): Promise<RunningApi> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = startTsx('apps/api/src/main.ts', { WORKERS: '2', LOG_LEVEL: 'WARN', ...env, PORT: String(port) });
  const stop = async (): Promise<void> => {
    // tsx runs the server as its child: the tree is read before the signal, while every process still has its parent.
    const tree = processTree(child.proc.pid!);
    if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGTERM');
    const until = Date.now() + STOP_MS;
    while (tree.some(alive)) {
      if (Date.now() > until) {
        process.stderr.write(
          `bench: the API did not stop within ${STOP_MS / 1000} s; killing it. Its last output:\n${child.output().slice(-2000)}\n`,
        );
        for (const pid of tree.filter(alive)) process.kill(pid, 'SIGKILL');
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    await waitFor200(`${url}/ready`, child, 120_000);
    const until = Date.now() + 120_000;
    while (!child.output().includes('listening on')) {
      if (child.proc.exitCode !== null || Date.now() > until)
        throw new Error(`the API did not start all its workers:\n${child.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, child, stop };
}
