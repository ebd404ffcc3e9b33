/**
 * API benchmark (`npx nx run api:bench`): the local server as `npm start` runs it (cluster, WORKERS=2)
 * driven by autocannon on the same machine, then the built Lambda bundle in fresh processes.
 * Prints a table against the targets and writes tmp/bench/api.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { measureHandlerOverheads } from './handler-overheads';
import { envCount } from './bench-env';
import { explainBench } from './explain';
import { OBSERVABILITY_OFF, ROOT, rowsBody, scoreLoad } from './bench-server';
import { startCluster } from './cluster';
import { lakeComplete, lakeTotals, waitForLakeDrain, type LakeTotals } from './lake-totals';

const OUT_DIR = join(ROOT, 'tmp/bench');
const DURATION = envCount('BENCH_DURATION', 10);

interface Row {
  metric: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean | undefined;
}

async function saturate(url: string, body: string, connections: number, duration = DURATION) {
  const r = await scoreLoad(url, body, { connections, duration });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`bench: ${r.non2xx} non-2xx and ${r.errors} errors`);
  return r;
}

function lambdaCold(eventPath: string): { moduleLoadMs: number; coldMs: number; coldCpuMs: number; warmP50Ms: number; warmP99Ms: number } {
  const runs = Array.from({ length: 3 }, () => {
    const run = spawnSync(process.execPath, [join(__dirname, 'lambda-cold.cjs'), join(ROOT, 'dist/apps/api/lambda/index.js'), eventPath], {
      env: { ...process.env, LOG_LEVEL: 'WARN', AWS_LAMBDA_FUNCTION_NAME: 'bench' },
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (run.status !== 0) throw new Error(`bench: the Lambda cold-start process failed: ${run.stderr}`);
    return JSON.parse(run.stderr.trim().split('\n').pop()!) as ReturnType<typeof lambdaCold> & { status: number };
  });
  if (runs.some((r) => r.status !== 200)) throw new Error('bench: the Lambda bundle did not answer 200');
  runs.sort((a, b) => a.coldMs - b.coldMs);
  return runs[1]!; // the median of three fresh processes
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  process.stdout.write('bench(api): building the Lambda bundle (nx run api:build)\n');
  execFileSync('npx', ['nx', 'run', 'api:build', '--skip-nx-cache'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } });
  const zipBytes = statSync(join(ROOT, 'dist/apps/api/lambda.zip')).size;

  const body1 = rowsBody(1);
  const body50 = rowsBody(50);
  // The AWS sample HTTP API event of the handler tests, carrying a 50-row body.
  const sample = JSON.parse(readFileSync(join(ROOT, 'apps/api/test/fixtures/apigw-http-v2-post-score-base64.json'), 'utf8')) as Record<string, unknown>;
  const { queryStringParameters: _query, ...rest } = sample;
  const event = { ...rest, rawQueryString: '', isBase64Encoded: false, body: body50 };
  const eventPath = join(OUT_DIR, 'event-50-rows.json');
  writeFileSync(eventPath, JSON.stringify(event));

  process.stdout.write('bench(api): Lambda cold starts (3 fresh processes) and warm calls\n');
  const lambda = lambdaCold(eventPath);
  const overheads = await measureHandlerOverheads(event, body1);

  const [defaults, bare] = await httpRuns(
    [{ label: 'observability on (default)', env: {} }, { label: 'METRICS=off LAKE=off', env: OBSERVABILITY_OFF }],
    { body1, body50 },
  );
  const rows: Row[] = [
    ...httpRows(defaults, ''),
    ...httpRows(bare, ' [obs off]'),
    ...costRows(defaults, bare),
    { metric: 'Lambda cold (load + model + first 50-row call)', value: lambda.coldMs, unit: 'ms', target: '<= 300', pass: lambda.coldMs <= 300 },
    { metric: 'Lambda cold, CPU time of the process (incl. Node boot)', value: lambda.coldCpuMs, unit: 'ms', target: '', pass: undefined },
    { metric: 'Lambda module load (incl. model parse kick-off)', value: lambda.moduleLoadMs, unit: 'ms', target: '', pass: undefined },
    { metric: 'Lambda warm 50-row p50 (bundle, Middy)', value: lambda.warmP50Ms, unit: 'ms', target: '<= 1', pass: lambda.warmP50Ms <= 1 },
    { metric: 'Lambda warm 50-row p99 (bundle, Middy)', value: lambda.warmP99Ms, unit: 'ms', target: '', pass: undefined },
    { metric: 'core CPU per 1-row request (in-process)', value: overheads.coreCpuUs1, unit: 'µs', target: '', pass: undefined },
    { metric: 'core CPU per 50-row request (in-process)', value: overheads.coreCpuUs50, unit: 'µs', target: '', pass: undefined },
    { metric: 'Middy + logger context per call (p50)', value: overheads.middyMs, unit: 'ms', target: '', pass: undefined },
    { metric: 'Powertools Parser v2 event schema, 50 rows (p50)', value: overheads.parserMs, unit: 'ms', target: '', pass: undefined },
    { metric: 'zod ScoreRequestSchema.safeParse, 50 rows (p50)', value: overheads.zodMs, unit: 'ms', target: '', pass: undefined },
    { metric: 'hand-written parse+validate, 50 rows (p50)', value: overheads.fastMs, unit: 'ms', target: '', pass: undefined },
    { metric: 'Lambda zip size', value: zipBytes / 1024 / 1024, unit: 'MB', target: '<= 5', pass: zipBytes <= 5 * 1024 * 1024 },
  ];
  process.stdout.write('bench(api): reason codes (bench/explain.ts)\n');
  rows.push(...(await explainBench()));
  printTable(rows);
  const report = {
    when: new Date().toISOString(),
    durationSec: DURATION,
    roundsPerBody: ROUNDS,
    machine: { cpus: (await import('node:os')).availableParallelism(), node: process.version },
    http: { default: summary(defaults), observabilityOff: summary(bare) },
    lambda: { ...lambda, zipBytes },
    overheads,
    rows,
  };
  writeFileSync(join(OUT_DIR, 'api.json'), JSON.stringify(report, null, 2));
  process.stdout.write(`bench(api): wrote ${join('tmp/bench', 'api.json')}\n`);
}

/** Saturation throughput and latency of one server config, over its rounds. */
interface Saturation {
  rps: number;
  /** Throughput of each round, in round order (paired with the other config's by index). */
  roundRps: number[];
  p50: number;
  p99: number;
}
type Runs = { one: Saturation; fifty: Saturation; fixed: autocannon.Result; lake: LakeTotals | null };


/** Interleaved rounds per body (BENCH_ROUNDS, default 8): nine runs of 4 rounds read the 50-row on/off ratio anywhere from 83 to 97 %. */
const ROUNDS = envCount('BENCH_ROUNDS', 8);
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/**
 * Saturation runs of both configs on one body, interleaved: ROUNDS rounds of DURATION / 2 s each, in ABBA
 * order, so that the machine's drift (other tenants, thermal) hits both alike; after each round the lake
 * queue is drained, so its work does not slow the other config's round (the backlog left at the end of a
 * round, at most ~2 files, is not charged to it). Throughput is the mean over rounds, latency percentiles
 * the median round's.
 */
async function interleaved(urls: readonly [string, string], body: string, connections: number): Promise<[Saturation, Saturation]> {
  const results: [autocannon.Result[], autocannon.Result[]] = [[], []];
  for (let r = 0; r < ROUNDS; r++) {
    for (const k of r % 2 === 0 ? [0, 1] : [1, 0]) {
      results[k]!.push(await saturate(urls[k]!, body, connections, DURATION / 2));
      await waitForLakeDrain(urls[k]!); // the lake work of a round must not run during the other config's round
    }
  }
  const sat = (rs: autocannon.Result[]): Saturation => ({
    rps: rs.reduce((a, x) => a + x.requests.average, 0) / rs.length,
    roundRps: rs.map((x) => x.requests.average),
    p50: median(rs.map((x) => x.latency.p50)),
    p99: median(rs.map((x) => x.latency.p99)),
  });
  return [sat(results[0]), sat(results[1])];
}

/**
 * Both server configs (each a cluster of WORKERS=2, as `npm start` runs it) up at once: saturation runs of
 * 1 and 50 rows interleaved between them, then a fixed 300 req/s run of 50 rows against each.
 */
async function httpRuns(
  configs: readonly [{ label: string; env: Record<string, string> }, { label: string; env: Record<string, string> }],
  bodies: { body1: string; body50: string },
): Promise<[Runs, Runs]> {
  process.stdout.write(`bench(api): servers (cluster, WORKERS=2): ${configs.map((c) => c.label).join(' | ')}; ${ROUNDS} interleaved rounds of ${DURATION / 2}s per body\n`);
  // Each run writes gigabytes of lake files: a temp LAKE_DIR, removed afterwards, not the checkout's ./var/lake.
  const lakeDir = mkdtempSync(join(tmpdir(), 'bench-api-lake-'));
  const servers = await Promise.all(configs.map((c) => startCluster(ROOT, 2, { LAKE_DIR: lakeDir, ...c.env })));
  try {
    const urls = [servers[0]!.url, servers[1]!.url] as const;
    for (const url of urls) await saturate(url, bodies.body50, 10, DURATION / 2); // warm-up: JIT and keep-alive sockets
    const one = await interleaved(urls, bodies.body1, 32);
    const fifty = await interleaved(urls, bodies.body50, 32);
    const fixed = [];
    for (const url of urls) {
      fixed.push(await scoreLoad(url, bodies.body50, { connections: 10, rate: 300, duration: DURATION }));
    }
    const lake = await lakeTotals(urls[0]);
    return [
      { one: one[0], fifty: fifty[0], fixed: fixed[0]!, lake },
      { one: one[1], fifty: fifty[1], fixed: fixed[1]!, lake: null },
    ];
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(lakeDir, { recursive: true, force: true });
  }
}

function httpRows({ one, fifty, fixed }: Runs, tag: string): Row[] {
  return [
    { metric: `HTTP 1-row req/s (saturation)${tag}`, value: one.rps, unit: 'req/s', target: '>= 15000', pass: one.rps >= 15_000 },
    { metric: `HTTP 1-row p50 / p99${tag}`, value: one.p50, unit: `ms / ${one.p99} ms`, target: '', pass: undefined },
    { metric: `HTTP 50-row req/s (saturation)${tag}`, value: fifty.rps, unit: 'req/s', target: '>= 4500', pass: fifty.rps >= 4_500 },
    { metric: `HTTP 50-row p50 / p99${tag}`, value: fifty.p50, unit: `ms / ${fifty.p99} ms`, target: '', pass: undefined },
    { metric: `HTTP 50-row p99 at 300 req/s${tag}`, value: fixed.latency.p99, unit: 'ms', target: '<= 25', pass: fixed.latency.p99 <= 25 },
  ];
}

/** Issue 7's cost target from the interleaved runs above (see bench/observability-cost.ts for CPU per request). */
function costRows(on: Runs, off: Runs): Row[] {
  const lake = on.lake ?? { scored: 0, written: 0, dropped: 0 };
  return [
    { metric: 'lake records written / leads scored (obs on)', value: lake.written, unit: `of ${lake.scored}, ${lake.dropped} dropped`, target: 'all', pass: lakeComplete(on.lake) },
    costRow('1-row', on.one, off.one),
    costRow('50-row', on.fifty, off.fifty),
  ];
}

/**
 * The verdict is the ratio of mean throughputs over all rounds; the unit column adds the median and the range
 * of the per-round ratios (each round ran both configs back to back), so that one run shows its own spread.
 */
function costRow(rows: string, on: Saturation, off: Saturation): Row {
  const ratio = (on.rps / off.rps) * 100;
  const rounds = on.roundRps.map((r, i) => (r / off.roundRps[i]!) * 100);
  const spread = `%: rounds median ${median(rounds).toFixed(1)}, ${Math.min(...rounds).toFixed(1)}-${Math.max(...rounds).toFixed(1)}`;
  return { metric: `obs on/off throughput, ${rows}`, value: ratio, unit: spread, target: '>= 90', pass: ratio >= 90 };
}

function summary({ one, fifty, fixed }: Runs) {
  return {
    oneRow: { reqPerSec: one.rps, p50: one.p50, p99: one.p99 },
    fiftyRows: { reqPerSec: fifty.rps, leadsPerSec: fifty.rps * 50, p50: fifty.p50, p99: fifty.p99 },
    fixed300: { reqPerSec: fixed.requests.average, p50: fixed.latency.p50, p99: fixed.latency.p99 },
  };
}

function printTable(rows: readonly Row[]): void {
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(3));
  const w = Math.max(...rows.map((r) => r.metric.length));
  process.stdout.write(`\n${'metric'.padEnd(w)} | ${'value'.padStart(22)} | target    | ok\n${'-'.repeat(w + 44)}\n`);
  for (const r of rows) {
    const ok = r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS';
    process.stdout.write(`${r.metric.padEnd(w)} | ${`${fmt(r.value)} ${r.unit}`.padStart(22)} | ${r.target.padEnd(9)} | ${ok}\n`);
  }
  process.stdout.write('\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench(api) failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

