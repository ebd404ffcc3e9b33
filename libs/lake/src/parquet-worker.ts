/**
 * Worker-thread entry of ParquetSink (`thread: true`): encodes and writes Parquet files off the
 * serving thread. Messages: `{ id, job }` in, `{ id, error? }` out.
 */
import { parentPort } from 'node:worker_threads';
import { fromWire } from './packed-wire';
import { encodeAndWrite, type WireJob } from './parquet-encode';

parentPort?.on('message', (msg: { id: number; job: WireJob }) => {
  const { wire, ...rest } = msg.job;
  encodeAndWrite({ ...rest, packed: fromWire(wire) }, { sync: true }).then(
    () => parentPort?.postMessage({ id: msg.id }),
    (err: unknown) => parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
