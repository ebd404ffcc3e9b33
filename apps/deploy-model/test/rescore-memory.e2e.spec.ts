import { createWriteStream, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { mulberry32 } from '@lead-scoring/feature-schema/testing';
import { tempDir, FIXTURES } from './helpers/bundles';
import { runMeasured, type MeasuredRun } from '@lead-scoring/testing';
import { csvToParquet } from './helpers/rescore-files';
import { WORKSPACE, runCli } from './helpers/run-cli';

/**
 * Bounded memory, measured: the peak RSS of the whole `rescore` process (threads included) on 5,000,000 rows
 * stays under 500 MB and within a few tens of MB of its peak on 500,000 rows. The model is the 5-feature binary
 * fixture (real XGBoost, test/fixtures/binary-5f.json) so that 5 million rows take seconds on two cores: memory
 * depends on chunk sizes and threads, not on the model's width (the 1-million-lead demo runs are in the bench).
 */
const BIG = 5_000_000;
const SMALL = 500_000;
const SAMPLE_ROWS = 1_000;

/** 1,000 rows of 5 values with 4 decimals: the training sample `init` takes the ranges from. */
function sampleLines(): string[] {
  const rng = mulberry32(5);
  return Array.from({ length: SAMPLE_ROWS }, () =>
    Array.from({ length: 5 }, () => (rng() < 0.05 ? '' : ((rng() - 0.5) * 6).toFixed(4))).join(','),
  );
}

/** `rows` leads cycling through the sample lines (so every value is within the published ranges), written in blocks. */
async function writeLeads(file: string, rows: number, lines: readonly string[]): Promise<void> {
  const out = createWriteStream(file);
  out.write('lead_id,f0,f1,f2,f3,f4\n');
  for (let start = 0; start < rows; start += 100_000) {
    let block = '';
    for (let i = start; i < Math.min(rows, start + 100_000); i++) block += `r${i},${lines[i % lines.length]!}\n`;
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function rescore(input: string, output: string): Promise<MeasuredRun> {
  const args = [
    'tools/cli/launch.cjs',
    'deploy-model',
    'rescore',
    '--model',
    'BUNDLE',
    '--input',
    input,
    '--output',
    output,
  ];
  return runMeasured(
    process.execPath,
    args.map((a) => (a === 'BUNDLE' ? bundle : a)),
    { cwd: WORKSPACE },
  );
}

let dir: string;
let bundle: string;

describe('rescore memory', () => {
  beforeAll(async () => {
    dir = tempDir('rescore-memory-');
    const lines = sampleLines();
    writeFileSync(path.join(dir, 'sample.csv'), `f0,f1,f2,f3,f4\n${lines.join('\n')}\n`);
    bundle = path.join(dir, 'bundle');
    const init = await runCli([
      'init',
      '--model',
      path.join(FIXTURES, 'binary-5f.json'),
      '--sample',
      path.join(dir, 'sample.csv'),
      '--out',
      bundle,
      '--name',
      'narrow',
      '--version',
      '1.0.0',
    ]);
    if (init.code !== 0) throw new Error(init.stderr);
    await writeLeads(path.join(dir, 'small.csv'), SMALL, lines);
    await writeLeads(path.join(dir, 'big.csv'), BIG, lines);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rescores 5,000,000 CSV rows to Parquet in under 500 MB, no more than 500,000 rows need', async () => {
    const small = await rescore(path.join(dir, 'small.csv'), path.join(dir, 'small.parquet'));
    const big = await rescore(path.join(dir, 'big.csv'), path.join(dir, 'big.parquet'));

    expect([small.code, big.code]).toEqual([0, 0]);
    expect(big.stderr).toMatch(/5,000,000 rows read, 5,000,000 scored, 0 rejected/);
    expect(big.peakRssMb).toBeLessThanOrEqual(500);
    expect(big.peakRssMb - small.peakRssMb).toBeLessThan(64);
    process.stderr.write(`peak RSS: ${small.peakRssMb} MB (500,000 rows), ${big.peakRssMb} MB (5,000,000 rows)\n`);
  }, 600_000);

  it("rescores 5,000,000 Parquet rows (DuckDB's row groups of 122,880) to CSV in under 500 MB", async () => {
    const input = path.join(dir, 'big.parquet');
    await csvToParquet(path.join(dir, 'big.csv'), input);

    const run = await rescore(input, path.join(dir, 'big-out.csv'));

    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/5,000,000 rows read, 5,000,000 scored, 0 rejected/);
    expect(run.peakRssMb).toBeLessThanOrEqual(500);
    process.stderr.write(`peak RSS: ${run.peakRssMb} MB (5,000,000 Parquet rows)\n`);
    expect(statSync(path.join(dir, 'big-out.csv')).size).toBeGreaterThan(BIG * 20);
  }, 600_000);
});
