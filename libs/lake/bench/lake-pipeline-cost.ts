/**
 * CPU per lead of the whole local lake pipeline in one process (records from events, buffer, Parquet
 * files on disk, GC included), for 1-lead and 50-lead events.
 * Run: [THREAD=1] [PAUSE_MS=3] npx tsx --tsconfig tsconfig.base.json libs/lake/bench/lake-pipeline-cost.ts
 * (THREAD=1: ParquetSink in a worker thread; PAUSE_MS: producer pause every 200 events, so the sink keeps up).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferedLakeWriter, ParquetSink } from '../src';
import { eventOf, sampleRows, FEATURE_NAMES, NUM_FEATURES } from '../test/fixtures';

async function main(): Promise<void> {
  const x = sampleRows(1000, 1);
  for (const per of [1, 50]) {
    const dir = mkdtempSync(join(tmpdir(), 'lake-bench-'));
    const writer = new BufferedLakeWriter({ featureWidth: NUM_FEATURES, sink: new ParquetSink({ featureNames: FEATURE_NAMES, dir, thread: process.env['THREAD'] === '1' }), flushRecords: 2000, flushIntervalMs: 2000 });
    const events = Array.from({ length: 1000 / per }, (_, i) => eventOf(x, i * per, per));
    const leads = 200_000;
    const cpu0 = process.cpuUsage();
    for (let sent = 0, k = 0; sent < leads; k++) {
      const e = events[k % events.length]!;
      writer.pushEvent(e);
      sent += per;
      if (k % 200 === 0) await new Promise((r) => setTimeout(r, Number(process.env['PAUSE_MS'] ?? 0)));
      // Keep below the bounded buffer (50,000): a producer faster than the sink would measure drops, not writes.
      while (writer.stats().queued > 20_000) await new Promise((r) => setTimeout(r, 1));
    }
    await writer.close();
    const c = process.cpuUsage(cpu0);
    const { written, dropped } = writer.stats();
    console.log(`${per} lead(s)/event: ${((c.user + c.system) / leads).toFixed(2)} µs CPU/lead, written ${written}, dropped ${dropped}`);
    rmSync(dir, { recursive: true, force: true });
  }
}
void main();
