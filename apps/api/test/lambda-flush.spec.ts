import { BufferedLakeWriter, type LakeRecord, type LakeSink } from '@lead-scoring/lake';
import { fakeLogger, NUM_FEATURES } from '@lead-scoring/metrics/testing';
import { withFlushBeforeReturn } from '../src/lambda-flush';

/** A minimal valid lake record. */
function record(i: number): LakeRecord {
  const features = new Float32Array(NUM_FEATURES).fill(i);
  return {
    request_id: `r${i}`, lead_id: null, ts: Date.UTC(2024, 4, 1, 7, 30), model_name: 'demo', model_version: '1',
    score: (i % 5) + 1, probabilities: null, probability: 0.5, latency_ms: 3.5, degraded: false, features,
  };
}

/** A sink that takes `delayMs` to accept a batch, like a Firehose round trip. */
class SlowSink implements LakeSink {
  readonly name = 'slow';
  readonly maxBatchRecords = 500;
  readonly rows: LakeRecord[] = [];
  constructor(private readonly delayMs: number) {}
  async write(records: readonly LakeRecord[]): Promise<void> {
    await new Promise((r) => setTimeout(r, this.delayMs));
    this.rows.push(...records);
  }
}

const context = (remaining: number) => ({ getRemainingTimeInMillis: () => remaining });

describe('withFlushBeforeReturn', () => {
  it('delivers the invocation records before the invocation resolves', async () => {
    const sink = new SlowSink(30);
    const writer = new BufferedLakeWriter({ featureWidth: NUM_FEATURES, sink, flushIntervalMs: 60_000 });
    const handler = withFlushBeforeReturn(async (n: number) => {
      for (let i = 0; i < n; i++) writer.push(record(i));
      return { statusCode: 200 };
    }, { writer });
    const res = await handler(3, context(10_000));
    expect(res).toEqual({ statusCode: 200 });
    expect(sink.rows).toHaveLength(3);
    expect(writer.queueDepth).toBe(0);
    await writer.close();
  });

  it('flushes even when the handler throws, then rethrows', async () => {
    const sink = new SlowSink(5);
    const writer = new BufferedLakeWriter({ featureWidth: NUM_FEATURES, sink, flushIntervalMs: 60_000 });
    const handler = withFlushBeforeReturn(async (_: unknown, __: unknown) => {
      writer.push(record(1));
      throw new Error('boom');
    }, { writer });
    await expect(handler({}, context(10_000))).rejects.toThrow('boom');
    expect(sink.rows).toHaveLength(1);
    await writer.close();
  });

  it('keeps records for the next invocation when the remaining time is too short', async () => {
    const sink = new SlowSink(0);
    const writer = new BufferedLakeWriter({ featureWidth: NUM_FEATURES, sink, flushIntervalMs: 60_000 });
    const logger = fakeLogger();
    const handler = withFlushBeforeReturn(async () => {
      writer.push(record(1));
      return 'ok';
    }, { writer, safetyMs: 250, logger });
    await handler(undefined, context(100));
    expect(sink.rows).toHaveLength(0);
    expect(logger.warn).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ code: 'LAKE_FLUSH_DEFERRED', queued: 1 }));
    await handler(undefined, context(10_000));
    expect(sink.rows).toHaveLength(2);
    await writer.close();
  });

  it('publishes EMF metrics after the flush', async () => {
    const order: string[] = [];
    const writer = { flush: async () => { order.push('flush'); }, queueDepth: 0 } as unknown as BufferedLakeWriter;
    const emf = { publish: () => order.push('publish') } as never;
    await withFlushBeforeReturn(async () => order.push('handler'), { writer, emf })(undefined, context(5_000));
    expect(order).toEqual(['handler', 'flush', 'publish']);
  });
});
