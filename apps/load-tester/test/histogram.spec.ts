import { Worker } from 'node:worker_threads';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  mergeHistogram,
  recordMs,
  summarize,
} from '../src/histogram';
import { Aggregator, fromWire, toWire } from '../src/engine/aggregator';
import { emptyInterval } from '../src/engine/recorder';

describe('latency histograms', () => {
  it('reports percentiles in ms at 3 significant digits', () => {
    const h = createHistogram();
    for (let i = 1; i <= 1000; i++) recordMs(h, i / 10);

    const s = summarize(h);
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(50, 1);
    expect(s.p99).toBeCloseTo(99, 1);
    expect(s.max).toBeCloseTo(100, 1);
  });

  it('survives an encode/decode round trip unchanged', () => {
    const h = createHistogram();
    [1.5, 20, 20.1, 999, 3000].forEach((ms) => recordMs(h, ms));

    const back = decodeHistogram(encodeHistogram(h));
    expect(summarize(back)).toEqual(summarize(h));
  });

  it('merging two halves gives the same percentiles as recording everything in one', () => {
    const all = createHistogram();
    const a = createHistogram();
    const b = createHistogram();
    for (let i = 0; i < 5000; i++) {
      const ms = ((i * 7919) % 1000) + 0.5;
      recordMs(all, ms);
      recordMs(i % 2 === 0 ? a : b, ms);
    }

    const merged = createHistogram();
    mergeHistogram(merged, decodeHistogram(encodeHistogram(a)));
    mergeHistogram(merged, decodeHistogram(encodeHistogram(b)));
    expect(summarize(merged)).toEqual(summarize(all));
  });

  it('merges histograms encoded in other threads', async () => {
    const script = `
      const { parentPort, workerData } = require('node:worker_threads');
      const hdr = require(${JSON.stringify(require.resolve('hdr-histogram-js'))});
      const h = hdr.build({ useWebAssembly: false, bitBucketSize: 32, lowestDiscernibleValue: 1, highestTrackableValue: 3600000000, numberOfSignificantValueDigits: 3 });
      for (let i = 0; i < 1000; i++) h.recordValue(workerData.baseUs + i);
      parentPort.postMessage(hdr.encodeIntoCompressedBase64(h));`;
    const encoded = await Promise.all(
      [10_000, 500_000].map(
        (baseUs) =>
          new Promise<string>((resolve, reject) => {
            const w = new Worker(script, { eval: true, workerData: { baseUs } });
            w.once('message', (m: string) => void w.terminate().then(() => resolve(m)));
            w.once('error', reject);
          }),
      ),
    );

    const merged = createHistogram();
    encoded.forEach((e) => mergeHistogram(merged, decodeHistogram(e)));
    const s = summarize(merged);
    expect(s.count).toBe(2000);
    expect(s.min).toBeCloseTo(10, 1);
    expect(s.max).toBeCloseTo(501, 0);
    expect(s.p50).toBeLessThan(11.1);
  });

  it('aggregates shard intervals per second and reports a second once every shard has delivered it', () => {
    const seen: number[] = [];
    const agg = new Aggregator({ shardCount: 2, onSecond: (i) => seen.push(i.second) });
    const shard = (second: number, ms: number): ReturnType<typeof emptyInterval> => {
      const i = emptyInterval(second);
      i.counters.sent = 10;
      i.counters.statusCounts['200'] = 10;
      recordMs(i.latency, ms);
      return i;
    };

    agg.add(fromWire(toWire(shard(0, 5))));
    expect(seen).toEqual([]);
    agg.add(fromWire(toWire(shard(0, 7))));
    agg.add(fromWire(toWire(shard(1, 9))));

    expect(seen).toEqual([0]);
    expect(agg.total.counters.sent).toBe(30);
    expect(agg.total.counters.statusCounts).toEqual({ '200': 30 });
    expect(agg.series().map((s) => s.latency.totalCount)).toEqual([2, 1]);
  });
});
