import { availableParallelism } from 'node:os';
import { dirname, basename, extname, join, resolve } from 'node:path';
import { loadBundle, type ModelBundle } from '@lead-scoring/model-bundle';
import { DeployError } from '../errors';
import type { WorkerSetup } from './chunk-processor';
import type { KeepRequest } from './column-plan';
import type { RangePolicy } from './lead-rows';
import { openOutputFiles } from './output-files';
import { fixedColumns, outputLayout } from './output-layout';
import { ProgressBar, type RunCounts } from './progress';
import { openRescoreInput, type InputFormat } from './rescore-input';
import { OrderedPool } from './worker-pool';

/** Options of `rescore` (the CLI's flags). */
export interface RescoreOptions {
  readonly model: string;
  readonly input: string;
  readonly output: string;
  /** Default: `<output without extension>.rejects.csv`. */
  readonly rejects?: string | undefined;
  /** Reason codes per row, 0 for none. */
  readonly explain: number;
  /** Scoring threads; default: the machine's cores. */
  readonly workers?: number | undefined;
  readonly idColumn?: string | undefined;
  readonly keep: KeepRequest;
  readonly policy: RangePolicy;
}

/** What a run did (the JSON `rescore` prints). */
export interface RescoreSummary extends RunCounts {
  readonly input: string;
  readonly format: InputFormat;
  readonly output: string;
  readonly rejects: string;
  readonly model: { readonly name: string; readonly version: string };
  readonly workers: number;
  readonly seconds: number;
  readonly rows_per_second: number;
  /** Features without a column that may be missing: scored as missing in every row. */
  readonly absent_optional_features: readonly string[];
}

/** Chunks between the reader and the written output: two per worker keeps each busy while one is on its way. */
const windowFor = (workers: number): number => 2 * workers + 2;

/** The rejects file next to the output: `scores.parquet` → `scores.rejects.csv`. */
export function defaultRejectsPath(output: string): string {
  return join(dirname(output), `${basename(output, extname(output))}.rejects.csv`);
}

function outputFormatOf(file: string): 'csv' | 'parquet' {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  throw new DeployError('USAGE', `--output ${file}: expected a .csv or .parquet file`);
}

async function loadOrThrow(dir: string): Promise<ModelBundle> {
  try {
    return await loadBundle(dir);
  } catch (cause) {
    throw new DeployError('BUNDLE_INVALID', `cannot load bundle ${dir}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Rescores every row of a file with a bundle: the main thread reads the input in chunks, worker threads
 * (each with the bundle loaded once) validate, score and encode them, and the main thread writes the results
 * in input order. At most `2 × workers + 2` chunks are in flight, so memory does not grow with the input.
 *
 * @example const summary = await runRescore({ model: 'models/demo', input: 'leads.csv', output: 'scores.parquet', explain: 0, keep: false, policy: 'lenient' });
 */
export async function runRescore(
  opts: RescoreOptions,
  hooks: { stderr?: (text: string) => void; tty?: boolean; signal?: AbortSignal } = {},
): Promise<RescoreSummary> {
  const started = performance.now();
  const format = outputFormatOf(opts.output);
  const rejects = opts.rejects ?? defaultRejectsPath(opts.output);
  if (resolve(rejects) === resolve(opts.output) || resolve(opts.input) === resolve(opts.output)) {
    throw new DeployError('USAGE', '--input, --output and the rejects file must be three different files');
  }
  const workers = opts.workers ?? availableParallelism();
  const bundle = await loadOrThrow(opts.model);
  const { model, manifest, contract } = bundle;
  if (!Number.isInteger(opts.explain) || opts.explain < 0 || opts.explain > contract.size) {
    throw new DeployError(
      'USAGE',
      `--explain must be a whole number from 0 to ${contract.size} (the model's features)`,
    );
  }
  const reserved = fixedColumns({ objective: model.objective, width: model.predictionWidth, reasons: opts.explain });
  const input = await openRescoreInput({
    file: opts.input,
    contract,
    idColumn: opts.idColumn,
    keep: opts.keep,
    reserved,
  });
  const counts = { rows: 0, scored: 0, rejected: 0, flagged: 0 };
  try {
    if (reserved.includes(input.idName))
      throw new DeployError(
        'USAGE',
        `the id column "${input.idName}" has the name of an output column; pick another with --id-column`,
      );
    const layout = outputLayout({
      idName: input.idName,
      rowNumbers: input.rowNumbers,
      objective: model.objective,
      width: model.predictionWidth,
      reasons: opts.explain,
      keepNames: input.keepNames,
      model: { name: manifest.name, version: manifest.version },
    });
    const setup: WorkerSetup = {
      bundleDir: bundle.dir,
      input: input.layout,
      output: format,
      layout,
      explain: opts.explain,
      policy: opts.policy,
    };
    const files = await openOutputFiles({ output: opts.output, format, rejects, layout });
    const bar = new ProgressBar((t) => hooks.stderr?.(t), hooks.tty === true);
    let fraction = 0;
    let pool: OrderedPool | undefined;
    try {
      pool = await OrderedPool.start({
        setup,
        workers,
        window: windowFor(workers),
        write: async (result) => {
          await files.write(result);
          counts.rows += result.rows;
          counts.scored += result.scored;
          counts.rejected += result.rejected;
          counts.flagged += result.flagged;
          bar.update(counts.rows, fraction);
        },
        onInput: (buffer) => input.recycle(buffer),
      });
      for await (const { task, fraction: f } of input.tasks()) {
        if (hooks.signal?.aborted) throw new DeployError('INTERRUPTED', 'rescore was interrupted; nothing was written');
        fraction = f;
        await pool.submit(task);
      }
      await pool.finish();
      bar.clear();
      await files.commit();
    } catch (err) {
      bar.clear();
      await pool?.stop();
      await files.abort();
      throw err;
    }
  } finally {
    await input.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    input: opts.input,
    format: input.format,
    output: opts.output,
    rejects,
    model: { name: manifest.name, version: manifest.version },
    workers,
    ...counts,
    seconds: Math.round(seconds * 1000) / 1000,
    rows_per_second: Math.round(counts.rows / Math.max(seconds, 1e-6)),
    absent_optional_features: input.absentOptional,
  };
}
