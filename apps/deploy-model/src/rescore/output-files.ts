import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { DeployError } from '../errors';
import type { ChunkResult } from './chunk-processor';
import { csvHeader, rejectsHeader } from './csv-output';
import type { OutputLayout } from './output-layout';
import { ParquetSink } from './parquet-sink';

/** The output and rejects files of a run, written under temporary names and renamed into place at the end. */
export interface OutputFiles {
  /** Appends one chunk's scored rows and rejects (chunks come in input order). */
  write(result: ChunkResult): Promise<void>;
  /** Finishes both files and moves them to their names. */
  commit(): Promise<void>;
  /** Closes and deletes both temporary files (a failed or interrupted run leaves nothing half-written). */
  abort(): Promise<void>;
}

async function create(path: string): Promise<FileHandle> {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a temporary name next to the file the operator named
    return await open(path, 'w');
  } catch (cause) {
    throw new DeployError(
      'OUTPUT_WRITE_FAILED',
      `cannot write ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      { cause },
    );
  }
}

/**
 * Opens the output (CSV, or Parquet through parquet-wasm) and the rejects file (CSV: row, id, reason), each as
 * `<name>.partial-<pid>` until `commit`.
 *
 * @example const files = await openOutputFiles({ output: 'scores.parquet', format: 'parquet', rejects: 'scores.rejects.csv', layout });
 */
export async function openOutputFiles(opts: {
  output: string;
  format: 'csv' | 'parquet';
  rejects: string;
  layout: OutputLayout;
}): Promise<OutputFiles> {
  const outTmp = `${opts.output}.partial-${process.pid}`;
  const rejTmp = `${opts.rejects}.partial-${process.pid}`;
  const out = await create(outTmp);
  let rej: FileHandle | undefined;
  try {
    rej = await create(rejTmp);
    await rej.write(rejectsHeader(opts.layout.idName));
    const parquet = opts.format === 'parquet' ? ParquetSink.open(out, opts.layout) : undefined;
    if (!parquet) await out.write(csvHeader(opts.layout));
    const rejects = rej;
    let closed = false;
    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      await Promise.allSettled([out.close(), rejects.close()]);
    };
    return {
      async write(result) {
        if (parquet) await parquet.write(result.out);
        else if (result.out.byteLength > 0) await out.write(result.out);
        if (result.rejects.length > 0) await rejects.write(result.rejects);
      },
      async commit() {
        try {
          if (parquet) await parquet.close();
          await out.sync();
          await rejects.sync();
        } catch (cause) {
          throw new DeployError('OUTPUT_WRITE_FAILED', `cannot finish ${opts.output}: ${(cause as Error).message}`, {
            cause,
          });
        } finally {
          await close();
        }
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- the files the operator named
        await rename(outTmp, opts.output);
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- same
        await rename(rejTmp, opts.rejects);
      },
      async abort() {
        await close();
        await Promise.allSettled([rm(outTmp, { force: true }), rm(rejTmp, { force: true })]);
      },
    };
  } catch (err) {
    await Promise.allSettled([out.close(), rej?.close()]);
    await Promise.allSettled([rm(outTmp, { force: true }), rm(rejTmp, { force: true })]);
    throw err;
  }
}
