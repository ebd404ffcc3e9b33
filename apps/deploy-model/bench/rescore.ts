/**
 * `npx nx run deploy-model:bench` (part of `npm run bench`): the whole `rescore` process on 1,000,000 demo
 * leads (BENCH_ROWS), from Parquet and from CSV, against the Python reference (pandas + XGBoost on every core,
 * tools/rescore/reference_rescore.py) reading the same CSV in the same run: Debian's XGBoost 1.7.4, and 3.x when
 * XGBOOST3_PYTHONPATH is set. Each process is timed from spawn to exit, its peak RSS polled from /proc.
 * The inputs are generated once into tmp/rescore/ (tools/rescore/make_leads.py, then DuckDB for the Parquet copy).
 */
import { existsSync, openSync, readFileSync, readSync, closeSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { atLeast, atMost, envCount, fail, median, report, type Figure } from '@lead-scoring/bench';
import { duckdb, ROOT, runMeasured, type MeasuredRun } from '@lead-scoring/testing';

const ROWS = envCount('BENCH_ROWS', 1_000_000);
const ROUNDS = envCount('BENCH_ROUNDS', 2);
const DIR = join(ROOT, 'tmp', 'rescore');
const CSV = join(DIR, `leads-${ROWS}.csv`);
const PARQUET = join(DIR, `leads-${ROWS}.parquet`);
const PYTHON = '/usr/bin/python3';

async function prepareInputs(): Promise<void> {
  if (!existsSync(CSV)) {
    process.stderr.write(`bench: writing ${CSV} (once; about 2 minutes per million leads)\n`);
    const run = await runMeasured(PYTHON, ['tools/rescore/make_leads.py', '--rows', String(ROWS), '--out', CSV], {
      cwd: ROOT,
    });
    if (run.code !== 0) fail(`make_leads.py failed: ${run.stderr}`);
  }
  if (!existsSync(PARQUET) || statSync(PARQUET).mtimeMs < statSync(CSV).mtimeMs) {
    // DuckDB's defaults: Snappy pages, row groups of 122,880 rows; lead_id stays text.
    await duckdb(
      `COPY (SELECT * FROM read_csv('${CSV}', header = true, types = {'lead_id': 'VARCHAR'})) TO '${PARQUET}' (FORMAT parquet)`,
    );
  }
}

/** The first whole lines of a file (about `bytes` long) as a file of their own. */
function headOf(file: string, bytes: number): string {
  const buf = Buffer.alloc(bytes);
  const fd = openSync(file, 'r');
  const n = readSync(fd, buf, 0, bytes, 0);
  closeSync(fd);
  const out = join(DIR, 'warm-up.csv');
  writeFileSync(out, buf.subarray(0, buf.lastIndexOf(10, n - 1) + 1));
  return out;
}

function rescore(input: string, output: string, extra: string[] = []): Promise<MeasuredRun> {
  const args = [
    'tools/cli/launch.cjs',
    'deploy-model',
    'rescore',
    '--model',
    'models/demo',
    '--input',
    input,
    '--output',
    output,
    ...extra,
  ];
  return runMeasured(process.execPath, args, { cwd: ROOT });
}

function python(output: string, three: boolean): Promise<MeasuredRun> {
  const args = [
    'tools/rescore/reference_rescore.py',
    '--model',
    'models/demo',
    '--input',
    CSV,
    '--output',
    output,
    ...(three ? ['--xgboost3'] : []),
  ];
  return runMeasured(PYTHON, args, { cwd: ROOT });
}

function checked(name: string, run: MeasuredRun): MeasuredRun {
  if (run.code !== 0) fail(`${name} exited ${run.code}:\n${run.stderr}`);
  return run;
}

/** Largest |difference| of the probabilities in the first `lines` lines of two score files (same id order). */
function maxDifference(ours: string, theirs: string, lines: number): number {
  const read = (f: string) =>
    readFileSync(f, 'utf8')
      .split('\n', lines + 1)
      .slice(1);
  const a = read(ours);
  const b = read(theirs);
  let worst = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!.split(',');
    const y = b[i]!.split(',');
    if (x[0] !== y[0] || x[1] !== y[1]) fail(`line ${i + 2}: ${x.slice(0, 2).join(',')} vs ${y.slice(0, 2).join(',')}`);
    for (let k = 2; k < 7; k++) worst = Math.max(worst, Math.abs(Number(x[k]) - Number(y[k])));
  }
  return worst;
}

async function main(): Promise<void> {
  await prepareInputs();
  const three = (process.env['XGBOOST3_PYTHONPATH'] ?? '') !== '';
  // A first small run builds the CLI bundle when a source changed (tools/cli/launch.cjs), outside the timings.
  checked('warm-up', await rescore(headOf(CSV, 256 << 10), join(DIR, 'warm-up-out.csv')));
  const runs: Record<string, MeasuredRun[]> = { parquet: [], csv: [], py: [], py3: [], explain: [] };
  for (let r = 0; r < ROUNDS; r++) {
    runs['parquet']!.push(checked('rescore parquet', await rescore(PARQUET, join(DIR, 'bench-out.parquet'))));
    runs['csv']!.push(checked('rescore csv', await rescore(CSV, join(DIR, 'bench-out.csv'))));
    runs['py']!.push(checked('python 1.7.4', await python(join(DIR, 'bench-python.csv'), false)));
    if (three) runs['py3']!.push(checked('python 3.x', await python(join(DIR, 'bench-python3.csv'), true)));
  }
  runs['explain'] = [
    checked('rescore --explain 3', await rescore(PARQUET, join(DIR, 'bench-explained.parquet'), ['--explain', '3'])),
  ];
  const rate = (name: string): number => median(runs[name]!.map((run) => ROWS / run.seconds));
  const peak = (name: string): number => Math.max(...runs[name]!.map((run) => run.peakRssMb));
  const diff = maxDifference(join(DIR, 'bench-out.csv'), join(DIR, 'bench-python.csv'), 10_000);
  const vs = (name: string) => rate('csv') / rate(name);
  const figures: Figure[] = [
    {
      metric: `rescore CSV -> CSV, ${ROWS.toLocaleString('en-US')} leads (whole process)`,
      value: Math.round(rate('csv')),
      unit: 'rows/s',
    },
    {
      metric: 'Python reference, XGBoost 1.7.4 (pandas read_csv + inplace_predict, all cores)',
      value: Math.round(rate('py')),
      unit: 'rows/s',
    },
    atLeast({ metric: 'rescore CSV vs Python, XGBoost 1.7.4', value: Math.round(vs('py') * 100) / 100, unit: 'x' }, 3),
  ];
  if (three) {
    figures.push(
      { metric: 'Python reference, XGBoost 3.x', value: Math.round(rate('py3')), unit: 'rows/s' },
      atLeast({ metric: 'rescore CSV vs Python, XGBoost 3.x', value: Math.round(vs('py3') * 100) / 100, unit: 'x' }, 3),
    );
  }
  figures.push(
    atLeast(
      {
        metric: `rescore Parquet -> Parquet, ${ROWS.toLocaleString('en-US')} leads (whole process)`,
        value: Math.round(rate('parquet') * 60),
        unit: 'leads/min',
      },
      10_000_000,
    ),
    {
      metric: 'rescore Parquet -> Parquet with 3 reason codes (TreeSHAP)',
      value: Math.round(rate('explain') * 60),
      unit: 'leads/min',
    },
    atMost({ metric: 'rescore peak RSS, Parquet', value: peak('parquet'), unit: 'MB' }, 500),
    atMost({ metric: 'rescore peak RSS, Parquet with reason codes', value: peak('explain'), unit: 'MB' }, 500),
    atMost({ metric: 'rescore peak RSS, CSV', value: peak('csv'), unit: 'MB' }, 500),
    { metric: 'Python reference peak RSS, XGBoost 1.7.4', value: peak('py'), unit: 'MB' },
    atMost(
      {
        metric: 'max |probability - XGBoost 1.7.4|, first 10,000 leads (in 1e-9)',
        value: Math.round(diff * 1e9),
        unit: 'e-9',
      },
      1000,
    ),
  );
  report('rescore', figures);
}

void main();
