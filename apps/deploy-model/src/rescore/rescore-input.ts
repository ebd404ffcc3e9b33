import { extname } from 'node:path';
import type { FeatureContract } from '@lead-scoring/feature-schema';
import { DeployError } from '../errors';
import { PARQUET_BLOCK_ROWS } from './limits';
import type { ChunkTask, InputLayout } from './chunk-processor';
import { DEFAULT_ID_COLUMN, planColumns, ROW_NUMBER_COLUMN, type KeepRequest } from './column-plan';
import { openParquetInput } from './parquet-reader';
import { openTextInput } from './text-input';

/** Input formats, from the file's extension. */
export type InputFormat = 'csv' | 'parquet' | 'ndjson';

const FORMATS: Readonly<Record<string, InputFormat>> = {
  '.csv': 'csv',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
};

/** The input format of a file name; USAGE for another extension. */
export function inputFormatOf(file: string): InputFormat {
  const format = FORMATS[extname(file).toLowerCase()];
  if (!format)
    throw new DeployError('USAGE', `--input ${file}: expected a .csv (with a header), .parquet or .ndjson/.jsonl file`);
  return format;
}

/** An opened input: how workers read it, its tasks in order, and how far a run has got. */
export interface RescoreInput {
  readonly format: InputFormat;
  readonly layout: InputLayout;
  readonly idName: string;
  readonly rowNumbers: boolean;
  readonly keepNames: readonly string[];
  /** Features with no column that may be missing (scored as missing in every row). */
  readonly absentOptional: readonly string[];
  /** Tasks in input order (`seq` 0, 1, ...), each with the fraction of the input read once it is cut. */
  tasks(): AsyncGenerator<{ task: ChunkTask; fraction: number }>;
  /** Takes back a task's input buffer once its chunk is done. */
  recycle(buffer: ArrayBuffer): void;
  close(): Promise<void>;
}

/**
 * Opens an input and matches its columns to the bundle's contract (see `planColumns`). NDJSON has no header:
 * its first lead says whether leads carry an id and, for `--keep` without names, which extra keys to keep.
 *
 * @example const input = await openRescoreInput({ file: 'leads.csv', contract, keep: false, reserved: [] });
 */
export async function openRescoreInput(opts: {
  file: string;
  contract: FeatureContract;
  idColumn?: string | undefined;
  keep: KeepRequest;
  reserved: readonly string[];
}): Promise<RescoreInput> {
  const format = inputFormatOf(opts.file);
  if (format === 'ndjson') return openNdjson(opts);
  const source = format === 'csv' ? await openTextInput(opts.file, 'csv') : await openParquetInput(opts.file);
  try {
    const plan = planColumns({
      columns: source.columns,
      contract: opts.contract,
      idColumn: opts.idColumn,
      keep: opts.keep,
      source: opts.file,
      reserved: opts.reserved,
    });
    const common = {
      format,
      idName: plan.idName,
      rowNumbers: plan.idColumn < 0,
      keepNames: plan.keepNames,
      absentOptional: plan.absentOptional,
      recycle: (b: ArrayBuffer) => source.recycle(b),
      close: () => source.close(),
    };
    if ('numRows' in source) {
      const features = plan.featureOf.filter((f) => f >= 0);
      return {
        ...common,
        layout: { kind: 'columns', layout: { features, idName: plan.idName } },
        async *tasks() {
          let seq = 0;
          let firstRow = 0;
          for await (const block of source.blocks(plan, PARQUET_BLOCK_ROWS)) {
            yield {
              task: { seq: seq++, firstRow, rows: block.nRows, block },
              fraction: (firstRow + block.nRows) / Math.max(1, source.numRows),
            };
            firstRow += block.nRows;
          }
        },
      };
    }
    const keepOf = plan.columns.map((_, c) => plan.keepColumns.indexOf(c));
    return {
      ...common,
      layout: {
        kind: 'csv',
        layout: {
          columns: plan.columns.length,
          featureOf: plan.featureOf,
          idColumn: plan.idColumn,
          idName: plan.idName,
          keepOf,
        },
      },
      tasks: () => textTasks(source.chunks(), source.size),
    };
  } catch (err) {
    await source.close();
    throw err;
  }
}

async function* textTasks(
  chunks: AsyncGenerator<{ bytes: Uint8Array; rows: number; bytesRead: number }>,
  size: number,
): AsyncGenerator<{ task: ChunkTask; fraction: number }> {
  let seq = 0;
  let firstRow = 0;
  for await (const chunk of chunks) {
    yield {
      task: { seq: seq++, firstRow, rows: chunk.rows, bytes: chunk.bytes },
      fraction: chunk.bytesRead / Math.max(1, size),
    };
    firstRow += chunk.rows;
  }
}

async function openNdjson(opts: {
  file: string;
  contract: FeatureContract;
  idColumn?: string | undefined;
  keep: KeepRequest;
  reserved: readonly string[];
}): Promise<RescoreInput> {
  const source = await openTextInput(opts.file, 'ndjson');
  const first = source.firstLead ?? {};
  const named = typeof first['features'] === 'object' && first['features'] !== null;
  const idKey = named ? 'lead_id' : (opts.idColumn ?? DEFAULT_ID_COLUMN);
  const hasId = opts.idColumn !== undefined || idKey in first;
  const extras = named ? [] : Object.keys(first).filter((k) => !opts.contract.index.has(k) && k !== idKey);
  const keepNames = opts.keep === false ? [] : opts.keep === true ? extras : [...opts.keep];
  const taken = keepNames.find((n) => opts.reserved.includes(n));
  if (taken !== undefined) {
    await source.close();
    throw new DeployError('USAGE', `--keep ${taken}: the output already has a column of that name`);
  }
  return {
    format: 'ndjson',
    layout: { kind: 'ndjson', layout: { idName: hasId ? idKey : null, keepNames } },
    idName: hasId ? idKey : ROW_NUMBER_COLUMN,
    rowNumbers: !hasId,
    keepNames,
    absentOptional: [],
    tasks: () => textTasks(source.chunks(), source.size),
    recycle: (b) => source.recycle(b),
    close: () => source.close(),
  };
}
