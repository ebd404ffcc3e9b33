/**
 * Per-request cost of the observability hot path (recordRequest + recordScored + lake push), in-process.
 * Run: npx tsx --tsconfig tsconfig.base.json libs/observability/bench/hot-path.ts
 */
import { FEATURE_NAMES, NUM_FEATURES, baselineFrom, eventOf, sampleRows } from '../test/fixtures';
import { BufferedLakeWriter, createMetrics, DriftMonitor, lakeRecordsFromEvent, type LakeSink } from '../src';

const x = sampleRows(1000, 1);
const events = Array.from({ length: 1000 }, (_, i) => eventOf(x, i, 1));
const nullSink: LakeSink = { name: 'null', maxBatchRecords: 10_000, write: async () => undefined };

function time(name: string, fn: (i: number) => void, n = 200_000): void {
  for (let i = 0; i < 20_000; i++) fn(i);
  const t = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  const us = ((performance.now() - t) * 1000) / n;
  process.stdout.write(`${name.padEnd(34)} ${us.toFixed(2)} µs/request\n`);
}

const metrics = createMetrics({ featureNames: FEATURE_NAMES, drift: new DriftMonitor({ baseline: baselineFrom(x, 1000), featureNames: FEATURE_NAMES }) });
const writer = new BufferedLakeWriter({ featureWidth: NUM_FEATURES, sink: nullSink, maxBufferRecords: 10_000_000, flushRecords: 5_000_000 });
time('recordRequest', () => metrics.recordRequest('/score', 200, 3));
time('recordScored (1 lead)', (i) => metrics.recordScored(events[i % 1000]!));
time('lakeRecordsFromEvent + push', (i) => writer.pushMany(lakeRecordsFromEvent(events[i % 1000]!, NUM_FEATURES)));
time('pushEvent (1 lead)', (i) => void writer.pushEvent(events[i % 1000]!));
void writer.close();

// 50-lead requests, with 5-class probabilities as the demo model returns them; with and without the drift window.
const e50 = eventOf(x, 0, 50);
const event50 = { ...e50, results: e50.results.map((r) => ({ score: r.score, probabilities: [0.1, 0.2, 0.3, 0.15, 0.25] })) };
const noDrift = createMetrics({ featureNames: FEATURE_NAMES, processMetrics: false });
time('recordScored (50 leads)', () => metrics.recordScored(event50), 50_000);
time('recordScored (50 leads, no drift)', () => noDrift.recordScored(event50), 50_000);
const drift50 = new DriftMonitor({ baseline: null, featureNames: FEATURE_NAMES });
time('DriftMonitor.observe (50 leads)', () => drift50.observe(event50.x, 50, event50.results), 50_000);
