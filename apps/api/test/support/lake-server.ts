import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { exited, freePort, ROOT, TSX, waitReady } from './child-server';
import { duckdb } from '@lead-scoring/testing';

const SPECS = demoFeatures();
const NAMES = SPECS.map((s) => s.name);

/** `npm start`'s command in its own process group (so a test can kill the primary, its workers and threads at once). */
export interface LakeServer {
  readonly child: ChildProcess;
  readonly url: string;
  /** What the server printed (stdout and stderr). */
  output(): string;
}

/**
 * Starts `tsx apps/api/src/main.ts` on a free port with `env`, and waits until every worker serves: until /ready
 * answers 200, or with `listening` until /health does (a server whose lake is unwritable is never ready).
 */
export async function startLakeServer(
  env: Record<string, string>,
  opts: { listening?: boolean } = {},
): Promise<LakeServer> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const child = spawn(TSX, ['--tsconfig', 'tsconfig.base.json', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'ERROR', ...env },
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  await (opts.listening ? waitHealthy(url, child) : waitReady(url, child, 120_000)).catch((err: Error) => {
    killGroup(child, 'SIGKILL');
    throw new Error(`${err.message}\n${out}`);
  });
  // With several workers the primary prints its banner once every one of them is ready.
  if ((env['WORKERS'] ?? '1') !== '1')
    for (let i = 0; i < 600 && !out.includes('Lead scoring API listening'); i++)
      await new Promise((r) => setTimeout(r, 50));
  return { child, url, output: () => out };
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  for (const end = Date.now() + 120_000; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (
      await fetch(`${url}/health`).then(
        (r) => r.status === 200,
        () => false,
      )
    )
      return;
  }
  throw new Error('server not listening in time');
}

/** Signals the server's whole process group (tsx, the primary, its workers). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM, then the exit code of the server (the primary publishes what its workers spooled before it exits). */
export async function stopLakeServer(server: LakeServer): Promise<number | null> {
  killGroup(server.child, 'SIGTERM');
  return exited(server.child);
}

/** The process ids of a process's descendants, from /proc. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(join('/proc', d, 'stat'), 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/**
 * Posts batches of named leads (`<prefix>-<n>` ids) from `concurrency` loops until `stop()` resolves; returns the
 * ids answered 200. Failed requests (a killed server) are not retried.
 */
export function streamLeads(
  url: string,
  prefix: string,
  opts: { concurrency: number; leads: number; seed: number },
): { stop(): Promise<string[]> } {
  const rng = mulberry32(opts.seed);
  const answered: string[] = [];
  let next = 0;
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      const ids = Array.from({ length: opts.leads }, () => `${prefix}-${next++}`);
      const leads = ids.map((lead_id) => {
        const row = sampleLead(SPECS, rng);
        return { lead_id, features: Object.fromEntries(NAMES.map((n, f) => [n, row[f] ?? null])) };
      });
      try {
        const res = await fetch(`${url}/score`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ leads }),
        });
        if (res.status === 200) answered.push(...ids);
        else await res.arrayBuffer();
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const loops = Array.from({ length: opts.concurrency }, loop);
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return answered;
    },
  };
}

/** How many times each lead id is in the lake, read by DuckDB over the lake's glob. */
export async function lakeLeadCounts(lakeDir: string): Promise<Map<string, number>> {
  const rows = await duckdb(
    `select lead_id, count(*)::int n from read_parquet('${lakeDir}/scores/*/*/*.parquet') group by 1`,
  );
  return new Map(rows.map((r) => [String(r['lead_id']), Number(r['n'])]));
}

/** The cluster workers under a server's process tree: the `main.ts` processes with no `main.ts` process below them. */
export function workerPids(rootPid: number): number[] {
  const isServer = (pid: number): boolean => {
    try {
      return readFileSync(join('/proc', String(pid), 'cmdline'), 'utf8').includes('apps/api/src/main.ts');
    } catch {
      return false;
    }
  };
  return descendants(rootPid).filter((pid) => isServer(pid) && !descendants(pid).some(isServer));
}
