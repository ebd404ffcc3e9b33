/**
 * Load tester benchmark (`npx nx run load-tester:bench`, area `load-tester`): the CLI (`npm run load-test`) with its
 * JSON report, against a node:http server in a child process, compared with autocannon on the same targets:
 * 1. generator capacity: the open model at 10,000 req/s against a server answering at once; its late sends must stay
 *    within the tool's own bound (`--max-late-ratio`, 1 %), or its figures would understate the load;
 * 2. saturation: the closed model with 32 users against `autocannon -c 32`;
 * 3. latency agreement: a 10 ms server at a fixed 1,000 req/s, p50 against `autocannon -R 1000`.
 * BENCH_DURATION: seconds per run (default 5).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atMost, envCount, postLoad, report, type Figure } from '@lead-scoring/bench';
import { freePort, runCli, startTsx, waitFor200, type Child } from '@lead-scoring/testing';

const SECONDS = envCount('BENCH_DURATION', 5);
const MAX_LATE_PERCENT = 1;
/** What the report holds that this bench reads (docs/load-testing.md, "Output"). */
interface LoadReport {
  achieved_rps: number;
  throughput_rps: number;
  latency_ms: { p50: number; p99: number };
  errors: number;
  late_sends: { ratio: number };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-load-tester-'));

/** Runs `npm run load-test -- <args>` against `url` and reads its JSON report; exit 4 (generator late) is a result too. */
async function loadTest(url: string, args: string[]): Promise<LoadReport> {
  const out = join(dir, 'report.json');
  const r = await runCli('apps/load-tester/src/main.ts', [
    '--target',
    url,
    '--duration',
    `${SECONDS}s`,
    '--no-live',
    '--report-json',
    out,
    ...args,
  ]);
  if (r.code !== 0 && r.code !== 4) throw new Error(`load-test ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  const rep = JSON.parse(readFileSync(out, 'utf8')) as LoadReport;
  if (rep.errors > 0) throw new Error(`load-test ${args.join(' ')}: ${rep.errors} errors`);
  return rep;
}

async function withServer<T>(delayMs: number, fn: (url: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const server: Child = startTsx('apps/load-tester/bench/delay-server.ts', {
    PORT: String(port),
    DELAY_MS: String(delayMs),
  });
  try {
    await waitFor200(`http://127.0.0.1:${port}/`, server);
    return await fn(`http://127.0.0.1:${port}/score`);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  process.stdout.write(`bench(load-tester): ${SECONDS} s per run, servers in a child process\n`);
  const body = JSON.stringify([Array.from({ length: 50 }, () => 1)]);
  const figures: Figure[] = [];
  await withServer(0, async (url) => {
    const open = await loadTest(url, ['--rate', '10000', '--connections', '32']);
    figures.push(
      { metric: 'open model at 10,000 req/s: sent', value: open.achieved_rps, unit: 'req/s' },
      atMost(
        { metric: 'open model at 10,000 req/s: sends > 10 ms late', value: open.late_sends.ratio * 100, unit: '%' },
        MAX_LATE_PERCENT,
      ),
    );
    const closed = await loadTest(url, ['--users', '32']);
    const ac = await postLoad({ url, body, connections: 32, duration: SECONDS });
    figures.push(
      { metric: 'closed model, 32 users: answered', value: closed.throughput_rps, unit: 'req/s' },
      { metric: 'autocannon -c 32: answered', value: ac.requests.average, unit: 'req/s' },
      { metric: 'closed model / autocannon, req/s', value: closed.throughput_rps / ac.requests.average, unit: 'x' },
    );
  });
  await withServer(10, async (url) => {
    const ours = await loadTest(url, ['--rate', '1000', '--connections', '64']);
    const ac = await postLoad({ url, body, connections: 64, duration: SECONDS, rate: 1000 });
    figures.push(
      { metric: '10 ms server at 1,000 req/s: p50', value: ours.latency_ms.p50, unit: 'ms' },
      { metric: '10 ms server, autocannon -R 1000: p50', value: ac.latency.p50, unit: 'ms' },
      { metric: 'p50, load tester / autocannon', value: ours.latency_ms.p50 / ac.latency.p50, unit: 'x' },
    );
  });
  report('load-tester', figures);
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`bench(load-tester) failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
