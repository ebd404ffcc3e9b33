import type { Io } from '../commands';
import type { KeepRequest } from './column-plan';
import { summaryLine } from './progress';
import { runRescore, type RescoreSummary } from './run-rescore';

/** The flags of `rescore` as commander parses them. */
export interface RescoreFlags {
  model: string;
  input: string;
  output: string;
  rejects?: string | undefined;
  explain: number;
  workers?: number | undefined;
  idColumn?: string | undefined;
  keep?: boolean | string | undefined;
  strict?: boolean | undefined;
}

/** `--keep` alone keeps every extra column; `--keep a,b` the named ones. */
export function keepRequest(keep: boolean | string | undefined): KeepRequest {
  if (keep === undefined || keep === false) return false;
  if (keep === true) return true;
  return keep
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * `rescore`: scores every row of a file with a bundle; stderr gets a progress bar (on a terminal) and the
 * one-line summary, stdout the summary as JSON. Ctrl-C stops the run and removes the partial files.
 *
 * @example await rescoreCommand(io, { model: 'models/demo', input: 'leads.csv', output: 'scores.parquet', explain: 0 });
 */
export async function rescoreCommand(
  io: Io,
  flags: RescoreFlags,
  tty = process.stderr.isTTY === true,
): Promise<RescoreSummary> {
  const controller = new AbortController();
  const onSigint = (): void => {
    io.stderr('\ninterrupted: stopping (press Ctrl-C again to kill)\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  // Until the run settles: were a library to stop calling back, the emptied event loop would end the process
  // with this code instead of a silent 0.
  process.exitCode = 1;
  try {
    const summary = await runRescore(
      {
        model: flags.model,
        input: flags.input,
        output: flags.output,
        rejects: flags.rejects,
        explain: flags.explain,
        workers: flags.workers,
        idColumn: flags.idColumn,
        keep: keepRequest(flags.keep),
        policy: flags.strict ? 'strict' : 'lenient',
      },
      { stderr: (t) => io.stderr(t), tty, signal: controller.signal },
    );
    io.stderr(summaryLine(summary, summary.seconds, summary.rejects));
    io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  } finally {
    process.exitCode = undefined;
    process.removeListener('SIGINT', onSigint);
  }
}
