/**
 * Cost of turning lake records into a Parquet file (the local sink's CPU per flush), per option set.
 * Run: npx tsx --tsconfig tsconfig.base.json libs/lake/bench/parquet-cost.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { lakeRecordsFromEvent } from '../src';
import { FEATURE_NAMES, NUM_FEATURES, eventOf, sampleRows } from '../test/fixtures';
import { lakeColumns, lakeSchema, packRecords } from '../src/parquet-columns';
import { LakeFiles } from '../src/lake-file';
import { encodeAndWrite } from '../src/parquet-encode';
import { encodeLakeParquet } from '../src/parquet-plain-encoder';

const N = 4000;
const recs = lakeRecordsFromEvent(eventOf(sampleRows(N, 1), 0, N), NUM_FEATURES);
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
    bytes = parquetWriteBuffer({ columnData: lakeColumns(recs, FEATURE_NAMES), schema: lakeSchema(FEATURE_NAMES), ...opts }).byteLength;
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
    bytes = encodeLakeParquet(packRecords(recs, NUM_FEATURES), FEATURE_NAMES, 'bench').byteLength;
    times.push(performance.now() - t);
  }
  const best = Math.min(...times.slice(2));
  console.log(`${'lake encoder'.padEnd(14)} ${best.toFixed(1)} ms / ${N} rows = ${((best * 1000) / N).toFixed(1)} µs/row, ${(bytes / 1024).toFixed(0)} KiB`);
}
{
  // Encoding alone, for a file of LAKE_FLUSH_RECORDS' default 10,000 rows (5 row groups), packed once.
  const big = packRecords(lakeRecordsFromEvent(eventOf(sampleRows(10_000, 2), 0, 10_000), NUM_FEATURES), NUM_FEATURES);
  const times: number[] = [];
  for (let rep = 0; rep < 12; rep++) {
    const t = performance.now();
    encodeLakeParquet(big, FEATURE_NAMES, 'bench');
    times.push(performance.now() - t);
  }
  const best = Math.min(...times.slice(2));
  console.log(`${'encode 10k'.padEnd(14)} ${best.toFixed(1)} ms / 10000 rows = ${((best * 1000) / 10_000).toFixed(2)} µs/row`);
}
{
  // What the Parquet thread does per file: encode and write (blocking calls, streamed row groups, O_DIRECT),
  // CPU time (user + system, so the kernel's part of the write counts) of 10,000 rows of 50-lead requests
  // without lead ids, as `npm run bench` sends them. Each file is deleted after.
  // Each job carries its own copy of the feature names, as the worker thread receives them (structured clone).
  const rows: ReturnType<typeof lakeRecordsFromEvent> = [];
  const x = sampleRows(10_000, 3);
  for (let at = 0; at < 10_000; at += 50) rows.push(...lakeRecordsFromEvent(eventOf(x, at, 50, { leadIds: undefined }), NUM_FEATURES));
  const packed = packRecords(rows, NUM_FEATURES);
  const dir = mkdtempSync(join(tmpdir(), 'parquet-cost-'));
  const cpu: number[] = [];
  void (async () => {
    try {
      for (let rep = 0; rep < 30; rep++) {
        const path = join(dir, `f${rep}.parquet`);
        const c0 = process.cpuUsage();
        await encodeAndWrite({ path, tmp: join(dir, `.f${rep}`), packed, names: structuredClone(FEATURE_NAMES), codec: 'UNCOMPRESSED', writerId: 'bench', directIo: true }, { sync: true });
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 10_000);
        rmSync(path);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`${'encode+write'.padEnd(14)} ${median(cpu.slice(5)).toFixed(2)} µs/row CPU (median of 25 files of 10,000 rows, 50-lead requests)`);
    writeCost(encodeLakeParquet(packed, FEATURE_NAMES, 'bench'));
  })();
}

function median(a: readonly number[]): number {
  return [...a].sort((x, y) => x - y)[a.length >> 1]!;
}

/**
 * The write alone, files kept as the lake keeps them (the encode+write line above deletes each file, so its
 * page-cache pages are reused at once): through the page cache vs O_DIRECT (lake-file.ts), alternating,
 * CPU of this process (user + system) per file. The page cache's writeback is not counted.
 */
function writeCost(bytes: Uint8Array): void {
  const dir = mkdtempSync(join(tmpdir(), 'parquet-write-'));
  const ways = { buffered: new LakeFiles({ direct: false }), direct: new LakeFiles() };
  const cpu: Record<keyof typeof ways, number[]> = { buffered: [], direct: [] };
  try {
    for (let rep = 0; rep < 40; rep++) {
      for (const way of ['buffered', 'direct'] as const) {
        const c0 = process.cpuUsage();
        const file = ways[way].open(join(dir, `${way}-${rep}.parquet`));
        file.write([bytes]);
        file.close();
        const c = process.cpuUsage(c0);
        cpu[way].push((c.user + c.system) / 1000);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const mib = (bytes.length / 2 ** 20).toFixed(1);
  console.log(`${'write, kept'.padEnd(14)} ${mib} MiB file: page cache ${median(cpu.buffered).toFixed(2)} ms CPU, O_DIRECT ${median(cpu.direct).toFixed(2)} ms (medians of 40 files each${ways.direct.directIo ? '' : '; O_DIRECT was refused here'})`);
}
