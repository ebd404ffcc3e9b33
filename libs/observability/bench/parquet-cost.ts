/**
 * Cost of turning lake records into a Parquet file (the local sink's CPU per flush), per option set.
 * Run: npx tsx --tsconfig tsconfig.base.json libs/observability/bench/parquet-cost.ts
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import { lakeRecordsFromEvent } from '../src';
import { FEATURE_NAMES } from '@lead-scoring/feature-schema';
import { lakeColumns, lakeSchema, packRecords } from '../src/parquet-columns';
import { encodeLakeParquet } from '../src/parquet-plain-encoder';
import { eventOf, sampleRows } from '../test/fixtures';

const N = 4000;
const recs = lakeRecordsFromEvent(eventOf(sampleRows(N, 1), 0, N));
const variants: Record<string, object> = {
  'snappy+stats': {},
  'snappy': { statistics: false },
  'plain+stats': { codec: 'UNCOMPRESSED' },
  'plain': { statistics: false, codec: 'UNCOMPRESSED' },
};
for (const [name, opts] of Object.entries(variants)) {
  const times: number[] = [];
  let bytes = 0;
  for (let rep = 0; rep < 12; rep++) {
    const t = performance.now();
    bytes = parquetWriteBuffer({ columnData: lakeColumns(recs), schema: lakeSchema(), ...opts }).byteLength;
    times.push(performance.now() - t);
  }
  const best = Math.min(...times.slice(2));
  console.log(`${name.padEnd(14)} ${best.toFixed(1)} ms / ${N} rows = ${((best * 1000) / N).toFixed(1)} µs/row, ${(bytes / 1024).toFixed(0)} KiB`);
}
{
  // The lake's own encoder (what ParquetSink uses for UNCOMPRESSED files), packing included.
  const times: number[] = [];
  let bytes = 0;
  for (let rep = 0; rep < 12; rep++) {
    const t = performance.now();
    bytes = encodeLakeParquet(packRecords(recs), FEATURE_NAMES, 'bench').byteLength;
    times.push(performance.now() - t);
  }
  const best = Math.min(...times.slice(2));
  console.log(`${'lake encoder'.padEnd(14)} ${best.toFixed(1)} ms / ${N} rows = ${((best * 1000) / N).toFixed(1)} µs/row, ${(bytes / 1024).toFixed(0)} KiB`);
}
{
  // Encoding alone, for a file of LAKE_FLUSH_RECORDS' default 10,000 rows (5 row groups), packed once.
  const big = packRecords(lakeRecordsFromEvent(eventOf(sampleRows(10_000, 2), 0, 10_000)));
  const times: number[] = [];
  for (let rep = 0; rep < 12; rep++) {
    const t = performance.now();
    encodeLakeParquet(big, FEATURE_NAMES, 'bench');
    times.push(performance.now() - t);
  }
  const best = Math.min(...times.slice(2));
  console.log(`${'encode 10k'.padEnd(14)} ${best.toFixed(1)} ms / 10000 rows = ${((best * 1000) / 10_000).toFixed(2)} µs/row`);
}
