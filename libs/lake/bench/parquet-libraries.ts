/**
 * The lake's Parquet writer against its alternative, on the lake's own job (docs/adr/0006-lake-parquet-library.md):
 * the same decoded spool requests written as one file by parquet-wasm (+ apache-arrow, what the lake uses) and by
 * DuckDB through @duckdb/node-api (appender + COPY, one thread), each with ZSTD and Snappy. Prints CPU per lead
 * (this process, all threads; median of 5 writes) and bytes per lead, for 50-lead and 1-lead requests, and the ratios.
 * Run: npx tsx --tsconfig tsconfig.base.json libs/lake/bench/parquet-libraries.ts (BENCH_ROWS, default 120000).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOOLEAN, DOUBLE, DuckDBDataChunk, DuckDBInstance, FLOAT, INTEGER, LIST, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { FEATURE_NAMES, NUM_FEATURES, eventOf, sampleRows } from '@lead-scoring/metrics/testing';
import { lakeTable } from '../src/arrow-batch';
import { writeParquetFile } from '../src/parquet-out';
import { FrameBuffer, encodeRequestFrame, readFrames, type SpoolRequest } from '../src/spool-frame';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 120_000);
/** Each figure is the median of this many writes (single writes on a shared 2-core machine swing by 2x). */
const REPEATS = 5;
const cpuUs = (): number => {
  const c = process.cpuUsage();
  return c.user + c.system;
};

/** Random valid leads of the demo model, scored 5-class, as decoded spool requests of `perRequest` leads. */
function requests(perRequest: number, seed: number): SpoolRequest[] {
  const x = sampleRows(ROWS, seed);
  const out = new FrameBuffer();
  const reqs: SpoolRequest[] = [];
  for (let i = 0; i < ROWS; i += perRequest) {
    const e = eventOf(x, i, perRequest, { requestId: crypto.randomUUID(), ts: Date.now() + i, leadIds: undefined });
    const results = e.results.map((r, k) => ({ ...r, probabilities: [0.1, 0.2, 0.3, 0.25, 0.15].map((p) => Math.fround(p * (1 + ((i + k) % 7) / 50))) }));
    reqs.push(...readFrames(Buffer.from(out.buf.subarray(0, encodeRequestFrame(out, { ...e, results }, NUM_FEATURES)))).requests);
  }
  return reqs;
}

/** The lake's own path: tables of about 32,768 leads (as publish.ts makes them) streamed into one file. */
async function viaParquetWasm(reqs: readonly SpoolRequest[], path: string, codec: 'zstd' | 'snappy'): Promise<void> {
  await writeParquetFile(path, FEATURE_NAMES, (async function* () {
    let from = 0;
    let rows = 0;
    for (let i = 0; i < reqs.length; i++) {
      rows += reqs[i]!.n;
      if (rows >= 32_768 || i === reqs.length - 1) {
        yield { kind: 'arrow' as const, table: lakeTable(reqs.slice(from, i + 1), FEATURE_NAMES) };
        from = i + 1;
        rows = 0;
      }
    }
  })(), codec);
}

const TYPES = [VARCHAR, VARCHAR, DOUBLE, VARCHAR, VARCHAR, INTEGER, LIST(DOUBLE), DOUBLE, DOUBLE, BOOLEAN, ...FEATURE_NAMES.map(() => FLOAT)];
const COLUMNS = ['request_id VARCHAR', 'lead_id VARCHAR', 'ts DOUBLE', 'model_name VARCHAR', 'model_version VARCHAR', 'score INTEGER',
  'probabilities DOUBLE[]', 'probability DOUBLE', 'latency_ms DOUBLE', 'degraded BOOLEAN', ...FEATURE_NAMES.map((f) => `"${f}" FLOAT`)].join(', ');

async function viaDuckDb(conn: DuckDBConnection, reqs: readonly SpoolRequest[], path: string, codec: 'zstd' | 'snappy'): Promise<void> {
  await conn.run(`CREATE OR REPLACE TABLE leads (${COLUMNS})`);
  const app = await conn.createAppender('leads');
  const rows: [SpoolRequest, number][] = reqs.flatMap((r) => Array.from({ length: r.n }, (_, i): [SpoolRequest, number] => [r, i]));
  for (let at = 0; at < rows.length; at += 2048) {
    const m = Math.min(2048, rows.length - at);
    const chunk = DuckDBDataChunk.create(TYPES, m);
    const v = TYPES.map((_, c) => chunk.getColumnVector(c));
    for (let k = 0; k < m; k++) {
      const [r, i] = rows[at + k]!;
      const p = r.probability[i]!;
      v[0]!.setItem(k, r.requestId); v[1]!.setItem(k, r.leadIds[i] ?? null); v[2]!.setItem(k, r.ts); v[3]!.setItem(k, r.modelName);
      v[4]!.setItem(k, r.modelVersion); v[5]!.setItem(k, r.score[i]!); v[7]!.setItem(k, p === p ? p : null); v[8]!.setItem(k, r.latencyMs); v[9]!.setItem(k, r.degraded);
      v[6]!.setItem(k, r.probLen[i]! > 0 ? listValue(Array.from(r.probs.subarray(i * r.probWidth, i * r.probWidth + r.probLen[i]!))) : null);
      for (let f = 0; f < NUM_FEATURES; f++) {
        const xv = r.features[i * r.width + f]!;
        v[10 + f]!.setItem(k, xv === xv ? xv : null);
      }
    }
    for (const vec of v) vec.flush();
    app.appendDataChunk(chunk);
  }
  app.flushSync();
  app.closeSync();
  await conn.run(`COPY (SELECT * REPLACE (epoch_ms(ts::BIGINT) AS ts) FROM leads) TO '${path}' (FORMAT parquet, COMPRESSION ${codec})`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'parquet-libraries-'));
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  try {
    process.stdout.write(`bench(lake): ${ROWS} random demo-model leads per file, decoded spool requests -> one Parquet file; CPU of this process (all threads)\n`);
    for (const perRequest of [50, 1]) {
      const reqs = requests(perRequest, perRequest);
      const warm = requests(perRequest, 99);
      const results = new Map<string, { cpu: number; bytes: number }>();
      for (const lib of ['parquet-wasm', 'duckdb'] as const) {
        for (const codec of ['zstd', 'snappy'] as const) {
          const write = (r: readonly SpoolRequest[], p: string): Promise<void> => (lib === 'duckdb' ? viaDuckDb(conn, r, p, codec) : viaParquetWasm(r, p, codec));
          await write(warm, join(dir, 'warm.parquet'));
          const path = join(dir, `${lib}-${codec}-${perRequest}.parquet`);
          const runs: number[] = [];
          for (let k = 0; k < REPEATS; k++) {
            const c0 = cpuUs();
            await write(reqs, path);
            runs.push((cpuUs() - c0) / ROWS);
          }
          const cpu = runs.sort((p, q) => p - q)[REPEATS >> 1]!;
          const bytes = statSync(path).size / ROWS;
          results.set(`${lib} ${codec}`, { cpu, bytes });
          process.stdout.write(`  ${perRequest} lead(s)/request  ${`${lib} ${codec}`.padEnd(20)} ${cpu.toFixed(2).padStart(6)} µs CPU/lead  ${bytes.toFixed(1).padStart(6)} bytes/lead\n`);
        }
      }
      const a = results.get('parquet-wasm zstd')!;
      const b = results.get('duckdb zstd')!;
      process.stdout.write(`  ${perRequest} lead(s)/request  ZSTD, DuckDB / parquet-wasm: CPU ${(b.cpu / a.cpu).toFixed(2)}x, bytes ${(b.bytes / a.bytes).toFixed(2)}x\n`);
    }
  } finally {
    conn.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
