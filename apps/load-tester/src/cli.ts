import { Command, CommanderError, Option } from 'commander';
import { readEnv, type RunConfig, type TargetConfig } from './config';
import { parseDuration } from './duration';
import { LoadTestError } from './errors';
import { readBundleFeatures } from './payload/bundle-features';
import { parseSlos } from './slo';
import { constantProfile, parseStages, profilePeak, type Segment } from './stages';

interface Flags {
  target?: string;
  apiKey?: string;
  sagemakerEndpoint?: string;
  endpointUrl?: string;
  region?: string;
  handler?: string;
  rate?: string;
  users?: string;
  model?: 'open' | 'closed';
  thinkTime: string;
  duration?: string;
  ramp?: string;
  stages?: string;
  rows: string;
  bundle?: string;
  form: 'array' | 'named';
  seed: string;
  invalidRatio: string;
  workers: string;
  timeout: string;
  lateThreshold: string;
  maxLateRatio: string;
  connections?: string;
  httpClient: 'raw' | 'node';
  slo?: string;
  reportJson?: string;
  reportHtml?: string;
  live: boolean;
}

/** The commander program (exported for `--help` text in docs and tests). */
export function buildProgram(): Command {
  return new Command('load-test')
    .description('Open-model (fixed-rate, coordinated-omission corrected) load generator for the lead scoring API.')
    .option('--target <url>', 'HTTP URL to POST to, e.g. http://localhost:8080/score')
    .option('--api-key <key>', 'x-api-key header (env LOAD_TEST_API_KEY)')
    .option('--sagemaker-endpoint <name>', 'SageMaker endpoint to invoke with CSV bodies')
    .option('--endpoint-url <url>', 'SageMaker runtime URL override (e.g. the local model server)')
    .option('--region <region>', 'AWS region (env AWS_REGION, default us-east-1)')
    .option('--handler <file>', 'built Lambda handler to invoke in-process, e.g. dist/apps/api/lambda/index.js')
    .option('--rate <n>', 'open model: requests per second on a fixed schedule')
    .option('--users <n>', 'closed model: concurrent users, each sending after the previous answer')
    .addOption(new Option('--model <model>', 'workload model for --stages levels').choices(['open', 'closed']))
    .option('--think-time <duration>', "closed model: pause between a user's requests", '0ms')
    .option('--duration <duration>', 'hold time at the level (default 30s)')
    .option('--ramp <duration>', 'ramp up from 0 over this long before the hold, and down after it')
    .option('--stages <list>', 'level profile "10s:100,30s:300,10s:0" (linear from the previous level)')
    .option('--rows <n>', 'leads per request', '1')
    .option('--bundle <dir>', 'model bundle whose features the generated leads follow (default: models/demo)')
    .addOption(new Option('--form <form>', 'request body form').choices(['array', 'named']).default('array'))
    .option('--seed <n>', 'payload and mix seed', '1')
    .option('--invalid-ratio <r>', 'share of deliberately invalid requests, e.g. 0.05 or 5%', '0')
    .option('--workers <n>', 'generator threads (worker_threads); histograms are merged', '1')
    .option('--timeout <duration>', 'per-request timeout (counted as an error, latency kept)', '10s')
    .option('--late-threshold <duration>', 'a send this much after its due time is late', '10ms')
    .option('--max-late-ratio <r>', 'late sends above this share fail the run with exit 4', '1%')
    .option('--connections <n>', 'max sockets (default sized for the rate)')
    .addOption(
      new Option('--http-client <client>', 'HTTP client: raw sockets (fast) or node:http')
        .choices(['raw', 'node'])
        .default('raw'),
    )
    .option('--slo <list>', 'objectives, e.g. "p99<1000ms,error_rate<0.1%"')
    .option('--report-json <file>', 'write the JSON report here')
    .option('--report-html <file>', 'write a self-contained HTML report here')
    .option('--no-live', 'no per-second line on stderr')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
}

/**
 * Parses argv into a {@link RunConfig}, or `undefined` when `--help` was printed.
 * Bad flags throw a LoadTestError (exit 2) whose message names the flag.
 *
 * @example
 * parseArgs(['--target', 'http://localhost:8080/score', '--rate', '300', '--duration', '60s'], {});
 */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): RunConfig | undefined {
  const program = buildProgram();
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError && err.code === 'commander.helpDisplayed') return undefined;
    if (err instanceof CommanderError)
      throw new LoadTestError('INVALID_FLAG', err.message.replace(/^error: /, ''), { cause: err });
    throw err;
  }
  if (program.args.length > 0) throw new LoadTestError('INVALID_FLAG', `unexpected argument "${program.args[0]}"`);
  return toConfig(program.opts<Flags>(), env);
}

function toConfig(flags: Flags, env: NodeJS.ProcessEnv): RunConfig {
  const vars = readEnv(env);
  const { model, segments } = profile(flags);
  const peak = profilePeak(segments);
  const timeoutMs = parseDuration(flags.timeout, '--timeout');
  const defaultSockets = Math.min(
    4096,
    Math.max(16, Math.ceil(model === 'open' ? (peak * Math.min(timeoutMs, 2000)) / 1000 : peak)),
  );
  const workers = int(flags.workers, '--workers', 1, 64);
  const config: RunConfig = {
    model,
    segments,
    target: target(flags, vars.LOAD_TEST_API_KEY, vars.AWS_REGION ?? vars.AWS_DEFAULT_REGION ?? 'us-east-1'),
    rows: int(flags.rows, '--rows', 1, 100_000),
    features: readBundleFeatures(flags.bundle),
    format: flags.form,
    seed: int(flags.seed, '--seed', 0, 2 ** 32 - 1),
    invalidRatio: ratio(flags.invalidRatio, '--invalid-ratio'),
    workers,
    thinkTimeMs: parseDuration(flags.thinkTime, '--think-time'),
    timeoutMs,
    lateThresholdMs: parseDuration(flags.lateThreshold, '--late-threshold'),
    maxLateRatio: ratio(flags.maxLateRatio, '--max-late-ratio'),
    maxSockets:
      flags.connections === undefined
        ? Math.ceil(defaultSockets / workers)
        : int(flags.connections, '--connections', 1, 65_535),
    httpClient: flags.httpClient,
    slos: flags.slo === undefined ? [] : parseSlos(flags.slo),
    live: flags.live,
  };
  if (config.target.kind === 'sagemaker') config.format = 'csv';
  if (flags.reportJson !== undefined) config.reportJson = flags.reportJson;
  if (flags.reportHtml !== undefined) config.reportHtml = flags.reportHtml;
  return config;
}

function profile(flags: Flags): { model: 'open' | 'closed'; segments: Segment[] } {
  if (flags.rate !== undefined && flags.users !== undefined)
    throw usage('give --rate (open model) or --users (closed model), not both');
  if (flags.stages !== undefined) {
    if (
      flags.rate !== undefined ||
      flags.users !== undefined ||
      flags.ramp !== undefined ||
      flags.duration !== undefined
    ) {
      throw usage(
        '--stages sets the whole profile: drop --rate/--users/--ramp/--duration (use --model closed for users)',
      );
    }
    const segments = parseStages(flags.stages);
    if (profilePeak(segments) === 0)
      throw new LoadTestError('INVALID_STAGES', '--stages: every level is 0, nothing would be sent');
    return { model: flags.model ?? 'open', segments };
  }
  const closed = flags.users !== undefined;
  if (flags.model !== undefined && (flags.model === 'closed') !== closed)
    throw usage(`--model ${flags.model} contradicts ${closed ? '--users' : '--rate'}`);
  if (flags.rate === undefined && !closed) throw usage('give --rate N (req/s), --users N or --stages');
  const level = closed ? int(flags.users ?? '', '--users', 1, 100_000) : positive(flags.rate ?? '', '--rate');
  const durationMs = parseDuration(flags.duration ?? '30s', '--duration');
  if (durationMs <= 0) throw usage('--duration must be more than 0');
  const rampMs = flags.ramp === undefined ? undefined : parseDuration(flags.ramp, '--ramp');
  return {
    model: closed ? 'closed' : 'open',
    segments: constantProfile({ level, durationMs, ...(rampMs === undefined ? {} : { rampMs }) }),
  };
}

function target(flags: Flags, envKey: string | undefined, region: string): TargetConfig {
  const chosen = [flags.target, flags.sagemakerEndpoint, flags.handler].filter((t) => t !== undefined);
  if (chosen.length !== 1) throw usage('give exactly one of --target URL, --sagemaker-endpoint NAME, --handler FILE');
  const apiKey = flags.apiKey ?? envKey;
  const key = apiKey === undefined ? {} : { apiKey };
  if (flags.target !== undefined) {
    let url: URL;
    try {
      url = new URL(flags.target);
    } catch {
      throw usage(`--target: "${flags.target}" is not a URL (e.g. http://localhost:8080/score)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw usage(`--target: only http and https URLs, got ${url.protocol}`);
    return { kind: 'http', url: url.href, ...key };
  }
  if (flags.sagemakerEndpoint !== undefined) {
    if (flags.endpointUrl !== undefined && !URL.canParse(flags.endpointUrl))
      throw usage(`--endpoint-url: "${flags.endpointUrl}" is not a URL`);
    const endpointUrl = flags.endpointUrl === undefined ? {} : { endpointUrl: flags.endpointUrl };
    return { kind: 'sagemaker', endpointName: flags.sagemakerEndpoint, region: flags.region ?? region, ...endpointUrl };
  }
  return { kind: 'lambda', handlerPath: flags.handler ?? '', ...key };
}

function int(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max)
    throw usage(`${flag}: "${text}" must be a whole number from ${min} to ${max}`);
  return n;
}

function positive(text: string, flag: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw usage(`${flag}: "${text}" must be a number above 0`);
  return n;
}

function ratio(text: string, flag: string): number {
  const percent = text.trim().endsWith('%');
  const n = Number(percent ? text.trim().slice(0, -1) : text);
  const value = percent ? n / 100 : n;
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1)
    throw usage(`${flag}: "${text}" must be a ratio from 0 to 1 (or 0% to 100%)`);
  return value;
}

function usage(message: string): LoadTestError {
  return new LoadTestError('INVALID_FLAG', message);
}
