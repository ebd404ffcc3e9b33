import type { FileHandle } from 'node:fs/promises';
import type * as PW from 'parquet-wasm/node';
import { emptyArrowRows } from './arrow-output';
import type { OutputLayout } from './output-layout';
import { parquetWasm } from './parquet-wasm';

/** Rows per Parquet row group, as the lake writes them: readers skip and parallelise by row group. */
const ROW_GROUP_ROWS = 65_536;

/** ZSTD pages; the double columns BYTE_STREAM_SPLIT without a dictionary, as the lake's feature columns (ADR 0006). */
function writerProperties(pw: ReturnType<typeof parquetWasm>, layout: OutputLayout): PW.WriterProperties {
  let b = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.ZSTD).setMaxRowGroupSize(ROW_GROUP_ROWS);
  const doubles = [...layout.predictionNames];
  for (let i = 1; i <= layout.reasons; i++) doubles.push(`reason_${i}_value`, `reason_${i}_contribution`);
  for (const name of doubles)
    b = b.setColumnDictionaryEnabled(name, false).setColumnEncoding(name, pw.Encoding.BYTE_STREAM_SPLIT);
  return b.build();
}

/**
 * A one-slot hand-over between the ordered writer and parquet-wasm's pull: `put` resolves once the puller has
 * copied the bytes into wasm memory (`consumed`), so the writer may hand the buffer back for reuse.
 */
class Handover {
  private value: { bytes: Uint8Array | null } | undefined;
  private taker: ((v: Uint8Array | null) => void) | undefined;
  private putter: (() => void) | undefined;

  put(bytes: Uint8Array | null, failed: Promise<never>): Promise<void> {
    const consumed = new Promise<void>((resolve) => (this.putter = resolve));
    if (this.taker) {
      const take = this.taker;
      this.taker = undefined;
      take(bytes);
    } else this.value = { bytes };
    return Promise.race([consumed, failed]);
  }

  take(): Promise<Uint8Array | null> {
    const ready = this.value;
    this.value = undefined;
    return ready ? Promise.resolve(ready.bytes) : new Promise<Uint8Array | null>((resolve) => (this.taker = resolve));
  }

  consumed(): void {
    const putter = this.putter;
    this.putter = undefined;
    putter?.();
  }
}

/**
 * Streams Arrow IPC chunks (one run's schema, built by the workers) into one Parquet file with parquet-wasm, the
 * lake's writer: memory holds about one row group of the output. `close` ends the file; `write` after a failure
 * of the writer rejects instead of waiting.
 *
 * @example const sink = await ParquetSink.open(handle, layout); await sink.write(ipc); await sink.close();
 */
export class ParquetSink {
  private wrote = false;

  private constructor(
    private readonly handover: Handover,
    private readonly done: Promise<void>,
    private readonly failed: Promise<never>,
    private readonly layout: OutputLayout,
  ) {}

  static open(handle: FileHandle, layout: OutputLayout): ParquetSink {
    const pw = parquetWasm();
    const handover = new Handover();
    let fail!: (err: unknown) => void;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    failed.catch(() => undefined);
    const input = new ReadableStream<PW.RecordBatch>(
      {
        async pull(ctl) {
          try {
            const bytes = await handover.take();
            if (bytes === null) {
              handover.consumed();
              ctl.close();
              return;
            }
            const table = pw.Table.fromIPCStream(bytes);
            handover.consumed();
            try {
              for (const batch of table.recordBatches()) ctl.enqueue(batch);
            } finally {
              // wasm memory is freed only by hand (or a late finalizer): without it each batch's copy stays resident.
              table.free();
            }
          } catch (err) {
            fail(err);
            throw err;
          }
        },
      },
      { highWaterMark: 1 },
    );
    // Not awaited here: the transform reads the first batch (for its schema) before it resolves.
    const done = pw.transformParquetStream(input, writerProperties(pw, layout)).then(async (output) => {
      for await (const chunk of output as unknown as AsyncIterable<Uint8Array>) await handle.write(chunk);
    });
    done.catch(fail);
    return new ParquetSink(handover, done, failed, layout);
  }

  /** Appends one chunk's rows (Arrow IPC stream bytes; empty = no rows). */
  async write(ipc: Uint8Array): Promise<void> {
    if (ipc.byteLength === 0) return;
    this.wrote = true;
    await this.handover.put(ipc, this.failed);
  }

  /** Writes the footer; resolves when every byte is handed to the file. */
  async close(): Promise<void> {
    if (!this.wrote) await this.write(emptyArrowRows(this.layout));
    await this.handover.put(null, this.failed);
    await Promise.race([this.done, this.failed]);
  }
}
