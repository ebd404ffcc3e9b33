import { loadBundle, type ModelBundle } from '@lead-scoring/model-bundle';
import type { Schema } from 'apache-arrow';
import { encodeArrowRows, outputSchema } from './arrow-output';
import { ChunkScorer } from './chunk-scorer';
import { decodeColumnBlock, type ColumnBlock, type ColumnsLayout } from './column-decoder';
import { decodeCsvBlock, type CsvLayout } from './csv-decoder';
import { ByteWriter, encodeCsvRows, encodeRejects } from './csv-output';
import { LeadRows, type RangePolicy } from './lead-rows';
import { decodeNdjsonBlock, type NdjsonLayout } from './ndjson-decoder';
import type { OutputLayout } from './output-layout';

/** How a worker reads its chunks. */
export type InputLayout =
  | { readonly kind: 'csv'; readonly layout: CsvLayout }
  | { readonly kind: 'ndjson'; readonly layout: NdjsonLayout }
  | { readonly kind: 'columns'; readonly layout: ColumnsLayout };

/** Everything a worker is started with (structured-cloned once). */
export interface WorkerSetup {
  readonly bundleDir: string;
  readonly input: InputLayout;
  readonly output: 'csv' | 'parquet';
  readonly layout: OutputLayout;
  readonly explain: number;
  readonly policy: RangePolicy;
}

/** A chunk of the input: whole records (CSV, NDJSON) or a block of columns (Parquet). */
export interface ChunkTask {
  readonly seq: number;
  /** Rows of the input before this chunk. */
  readonly firstRow: number;
  /** Rows in this chunk (records the reader counted). */
  readonly rows: number;
  readonly bytes?: Uint8Array;
  readonly block?: ColumnBlock;
}

/** A chunk's outcome: the encoded output rows, and the rejects file's lines. */
export interface ChunkResult {
  readonly seq: number;
  readonly rows: number;
  readonly scored: number;
  readonly rejected: number;
  readonly flagged: number;
  /** CSV lines, or Arrow IPC stream bytes (empty when no row was scored), over an ArrayBuffer of their own. */
  readonly out: Uint8Array;
  readonly rejects: string;
  /** The task's input buffer, handed back for the reader to fill again. */
  readonly input: ArrayBuffer | undefined;
}

/** A loaded bundle and the per-thread state that scores chunks with it. */
export interface ChunkProcessor {
  process(task: ChunkTask): ChunkResult;
  /** Takes back an output buffer the main thread has written out. */
  recycle(buffer: ArrayBuffer): void;
}

/** Output buffers start at this size and grow; spare ones are kept for the next chunks. */
const OUT_BYTES = 2 << 20;
const MAX_SPARE = 4;

/**
 * Loads the bundle (once per thread) and returns the function that turns a chunk into its result: decode and
 * validate, score, encode. Runs in each worker thread, or in the main thread where no worker can start.
 *
 * @example const processor = await createChunkProcessor(setup); processor.process(task)
 */
export async function createChunkProcessor(setup: WorkerSetup): Promise<ChunkProcessor> {
  const bundle = await loadBundle(setup.bundleDir);
  const scorer = new ChunkScorer(bundle, setup.explain);
  const schema = setup.output === 'parquet' ? outputSchema(setup.layout) : undefined;
  const input = setup.input;
  const read = input.kind === 'csv' ? input.layout.featureOf : input.kind === 'columns' ? input.layout.features : [];
  const complete = new Set(read.filter((f) => f >= 0)).size === bundle.contract.size;
  const state: ThreadState = { setup, bundle, scorer, schema, spare: [], x: undefined, complete };
  return {
    process: (task) => processChunk(state, task),
    recycle: (buffer) => {
      if (state.spare.length < MAX_SPARE) state.spare.push(buffer);
    },
  };
}

interface ThreadState {
  readonly setup: WorkerSetup;
  readonly bundle: ModelBundle;
  readonly scorer: ChunkScorer;
  readonly schema: Schema | undefined;
  readonly spare: ArrayBuffer[];
  /** The rows buffer, kept from chunk to chunk. */
  x: Float32Array | undefined;
  /** Every feature has a column of the input (see LeadRows). */
  readonly complete: boolean;
}

function processChunk(state: ThreadState, task: ChunkTask): ChunkResult {
  const { setup, bundle, scorer, schema } = state;
  const { contract } = bundle;
  const keep = setup.layout.keepNames.length;
  const rows = new LeadRows(contract, {
    capacity: task.rows,
    keep,
    policy: setup.policy,
    x: state.x,
    complete: state.complete,
  });
  state.x = rows.x;
  const input = setup.input;
  if (input.kind === 'columns') decodeColumnBlock(task.block!, input.layout, rows);
  else if (input.kind === 'csv') decodeCsvBlock(task.bytes!, input.layout, contract, rows);
  else decodeNdjsonBlock(task.bytes!, input.layout, contract, rows);
  if (rows.total !== task.rows)
    throw new Error(`chunk ${task.seq}: the reader counted ${task.rows} rows, the decoder read ${rows.total}`);
  let out: Uint8Array = new Uint8Array(0);
  if (rows.valid > 0) {
    const scored = scorer.score(rows.x, rows.valid);
    const writer = new ByteWriter(state.spare.pop() ?? new ArrayBuffer(OUT_BYTES));
    if (schema) writer.append(encodeArrowRows(schema, setup.layout, rows, scored, task.firstRow));
    else encodeCsvRows(setup.layout, rows, scored, task.firstRow, writer);
    out = writer.bytes();
  }
  return {
    seq: task.seq,
    rows: rows.total,
    scored: rows.valid,
    rejected: rows.rejected.length,
    flagged: rows.flagged,
    out,
    rejects: encodeRejects(rows.rejected, task.firstRow),
    input: (task.bytes ?? task.block?.values)?.buffer as ArrayBuffer | undefined,
  };
}
