import { BufferedLakeWriter, LakeSinkError, type LakeRecord, type LakeSink } from '../src';
import { eventOf, fakeLogger, record, sampleRows, NUM_FEATURES } from './fixtures';

/** An in-memory sink whose next `failures` writes fail (optionally delivering only part of the batch). */
class MemorySink implements LakeSink {
  readonly name = 'memory';
  readonly rows: LakeRecord[] = [];
  calls = 0;
  constructor(
    public failures = 0,
    readonly maxBatchRecords = 100,
    private readonly partial = false,
  ) {}
  async write(records: readonly LakeRecord[]): Promise<void> {
    this.calls++;
    if (this.failures > 0) {
      this.failures--;
      if (this.partial) {
        this.rows.push(...records.slice(0, 1));
        throw new LakeSinkError('partial', records.slice(1));
      }
      throw new Error('sink down');
    }
    this.rows.push(...records);
  }
}

const noSleep = async (): Promise<void> => undefined;
const counters = () => ({ written: jest.fn(), failed: jest.fn(), dropped: jest.fn() });

describe('BufferedLakeWriter', () => {
  it('delivers every record exactly once on close', async () => {
    const sink = new MemorySink();
    const writer = new BufferedLakeWriter({ featureWidth: NUM_FEATURES, sink, flushRecords: 1000, sleep: noSleep });
    for (let i = 0; i < 250; i++) writer.push(record(i));
    const stats = await writer.close();
    expect(sink.rows.map((r) => r.request_id)).toEqual(Array.from({ length: 250 }, (_, i) => `r${i}`));
    expect(stats).toEqual({ queued: 0, written: 250, failed: 0, dropped: 0 });
    expect(sink.calls).toBe(3);
  });

  it('flushes on its own once flushRecords records wait', async () => {
    const sink = new MemorySink();
    const writer = new BufferedLakeWriter({
      featureWidth: NUM_FEATURES,
      sink,
      flushRecords: 10,
      flushIntervalMs: 60_000,
    });
    for (let i = 0; i < 10; i++) writer.push(record(i));
    await new Promise((r) => setImmediate(r));
    await writer.flush();
    expect(sink.rows).toHaveLength(10);
    await writer.close();
  });

  it('flushes on its own after flushIntervalMs', async () => {
    const sink = new MemorySink();
    const writer = new BufferedLakeWriter({
      featureWidth: NUM_FEATURES,
      sink,
      flushRecords: 1000,
      flushIntervalMs: 20,
    });
    writer.push(record(1));
    await new Promise((r) => setTimeout(r, 80));
    expect(sink.rows).toHaveLength(1);
    await writer.close();
  });

  it('loses nothing when the sink fails and then recovers', async () => {
    const sink = new MemorySink(3);
    const obs = counters();
    const logger = fakeLogger();
    const writer = new BufferedLakeWriter({
      featureWidth: NUM_FEATURES,
      sink,
      observer: obs,
      logger,
      sleep: noSleep,
      retry: { maxAttempts: 5 },
    });
    for (let i = 0; i < 50; i++) writer.push(record(i));
    const stats = await writer.close();
    expect(sink.rows).toHaveLength(50);
    expect(new Set(sink.rows.map((r) => r.request_id)).size).toBe(50);
    expect(stats).toMatchObject({ written: 50, failed: 150, dropped: 0 });
    expect(obs.dropped).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledTimes(3);
  });

  it('retries only the undelivered records of a partial failure', async () => {
    const sink = new MemorySink(2, 100, true);
    const writer = new BufferedLakeWriter({ featureWidth: NUM_FEATURES, sink, sleep: noSleep, logger: fakeLogger() });
    for (let i = 0; i < 5; i++) writer.push(record(i));
    await writer.close();
    expect(sink.rows.map((r) => r.request_id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('counts and logs the records dropped when retries are exhausted', async () => {
    const sink = new MemorySink(100);
    const obs = counters();
    const logger = fakeLogger();
    const writer = new BufferedLakeWriter({
      featureWidth: NUM_FEATURES,
      sink,
      observer: obs,
      logger,
      sleep: noSleep,
      retry: { maxAttempts: 2 },
    });
    for (let i = 0; i < 7; i++) writer.push(record(i));
    const stats = await writer.close();
    expect(stats.dropped).toBe(7);
    expect(obs.dropped).toHaveBeenCalledWith(7);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('dropped: 7'),
      expect.objectContaining({ code: 'LAKE_RECORDS_DROPPED' }),
    );
  });

  it('drops, counts and logs records pushed into a full buffer', async () => {
    const sink = new MemorySink();
    const obs = counters();
    const logger = fakeLogger();
    const writer = new BufferedLakeWriter({
      featureWidth: NUM_FEATURES,
      sink,
      observer: obs,
      logger,
      maxBufferRecords: 3,
      flushIntervalMs: 60_000,
    });
    const accepted = writer.pushMany([record(1), record(2), record(3), record(4), record(5)]);
    expect(accepted).toBe(3);
    expect(writer.stats().dropped).toBe(2);
    expect(logger.error).toHaveBeenCalled();
    await writer.close();
    expect(sink.rows).toHaveLength(3);
    expect(obs.dropped).toHaveBeenCalledTimes(2);
  });

  it('keeps undelivered records buffered when a flush deadline passes', async () => {
    const sink = new MemorySink(1);
    let now = 0;
    const writer = new BufferedLakeWriter({
      featureWidth: NUM_FEATURES,
      sink,
      logger: fakeLogger(),
      now: () => now,
      random: () => 1,
      sleep: async (ms) => {
        now += ms;
      },
      retry: { baseDelayMs: 1000 },
    });
    writer.pushMany([record(1), record(2)]);
    await writer.flush({ deadline: 500 });
    expect(writer.stats()).toMatchObject({ queued: 2, written: 0, dropped: 0 });
    await writer.flush();
    expect(sink.rows).toHaveLength(2);
    await writer.close();
  });

  it('refuses and counts records pushed after close', async () => {
    const writer = new BufferedLakeWriter({ featureWidth: NUM_FEATURES, sink: new MemorySink(), logger: fakeLogger() });
    await writer.close();
    expect(writer.push(record(1))).toBe(false);
    expect(writer.stats().dropped).toBe(1);
  });

  it('records every lead of a scored event as its own row, in order, with its features', async () => {
    const sink = new MemorySink(0, 4);
    const writer = new BufferedLakeWriter({ featureWidth: NUM_FEATURES, sink, sleep: noSleep });
    const x = sampleRows(10, 7);
    expect(writer.pushEvent(eventOf(x, 0, 6))).toBe(6);
    expect(writer.pushEvent(eventOf(x, 6, 4, { degraded: true }))).toBe(4);
    await writer.close();
    expect(sink.rows.map((r) => r.lead_id)).toEqual(Array.from({ length: 10 }, (_, i) => `lead-${i}`));
    expect(sink.rows[7]).toMatchObject({
      request_id: 'req-6',
      model_name: 'demo',
      degraded: true,
      latency_ms: 4,
      probability: null,
    });
    expect(sink.rows[7]!.probabilities).toHaveLength(5);
    expect(Array.from(sink.rows[7]!.features)).toEqual(Array.from(x.subarray(7 * 50, 8 * 50)));
  });

  it('retries a failed batch of scored leads as the same rows, once each', async () => {
    const sink = new MemorySink(2);
    const writer = new BufferedLakeWriter({ featureWidth: NUM_FEATURES, sink, sleep: noSleep, logger: fakeLogger() });
    writer.pushEvent(eventOf(sampleRows(3, 1), 0, 3));
    const stats = await writer.close();
    expect(sink.rows.map((r) => r.lead_id)).toEqual(['lead-0', 'lead-1', 'lead-2']);
    expect(stats).toMatchObject({ written: 3, failed: 6, dropped: 0 });
  });

  it('accepts the leads of an event that fit and drops the rest', async () => {
    const sink = new MemorySink();
    const writer = new BufferedLakeWriter({
      featureWidth: NUM_FEATURES,
      sink,
      logger: fakeLogger(),
      maxBufferRecords: 3,
      flushIntervalMs: 60_000,
    });
    expect(writer.pushEvent(eventOf(sampleRows(5, 2), 0, 5))).toBe(3);
    expect(writer.stats()).toMatchObject({ queued: 3, dropped: 2 });
    await writer.close();
    expect(sink.rows).toHaveLength(3);
  });
});
