import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { BufferedLakeWriter } from '@lead-scoring/lake';
import { FirehoseFallbackSink, FirehoseSink, S3FallbackWriter } from '@lead-scoring/lake/firehose';
import { eventOf, fakeLogger, FEATURE_NAMES, NUM_FEATURES, sampleRows } from '@lead-scoring/metrics/testing';
import type { EmfLakeObserver } from '@lead-scoring/metrics/emf';
import { flushLake, lakeUnavailable } from '../src/lambda-flush';

process.env['AWS_REGION'] = 'us-east-1';
process.env['AWS_ACCESS_KEY_ID'] = 'test';
process.env['AWS_SECRET_ACCESS_KEY'] = 'test';
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';

const firehose = mockClient(FirehoseClient);
const s3 = mockClient(S3Client);
const x = sampleRows(20, 5);
const text = (d: unknown): string => new TextDecoder().decode(d as Uint8Array);

/** The Lambda lake of one test: a writer in front of Firehose with the S3 fallback, and counters. */
function lake(opts: { fallback?: boolean } = {}) {
  const sink = new FirehoseFallbackSink({
    firehose: new FirehoseSink({
      featureNames: FEATURE_NAMES,
      streamName: 'scores',
      client: new FirehoseClient({}),
      sleep: async () => undefined,
    }),
    fallback:
      opts.fallback === false ? null : new S3FallbackWriter({ uri: 's3://lake/_failed/', client: new S3Client({}) }),
  });
  const writer = new BufferedLakeWriter({ featureWidth: NUM_FEATURES, sink, flushIntervalMs: 3_600_000 });
  const counts: Record<string, number> = {};
  const count = (name: string) => (n: number) => void (counts[name] = (counts[name] ?? 0) + n);
  const observer: EmfLakeObserver = {
    written: count('written'),
    failed: count('failed'),
    dropped: count('dropped'),
    fallback: count('fallback'),
    unplaced: count('unplaced'),
  };
  return { sink, writer, counts, observer, logger: fakeLogger() };
}

beforeEach(() => {
  firehose.reset();
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
});

describe('flushLake', () => {
  it("has sent the invocation's records to Firehose when it resolves, and counts them written", async () => {
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });
    const l = lake();
    l.writer.pushEvent(eventOf(x, 0, 5));

    const placed = await flushLake({ ...l }, 10_000);

    expect(placed).toEqual({ delivered: 5, fallback: 0, unplaced: 0 });
    expect(firehose.commandCalls(PutRecordBatchCommand)[0]!.args[0].input.Records).toHaveLength(5);
    expect(l.writer.queueDepth).toBe(0);
    expect(l.counts).toEqual({ written: 5 });
  });

  it('writes exactly the records Firehose refuses to the fallback, counts and logs them', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce({
        FailedPutCount: 1,
        RequestResponses: [{ RecordId: 'a' }, { ErrorCode: 'ServiceUnavailableException' }, { RecordId: 'c' }],
      })
      .resolves({ FailedPutCount: 1, RequestResponses: [{ ErrorCode: 'ServiceUnavailableException' }] });
    const l = lake();
    const event = eventOf(x, 0, 3);
    l.writer.pushEvent(event);

    const placed = await flushLake({ ...l }, 10_000);

    expect(placed).toMatchObject({ delivered: 2, fallback: 1, unplaced: 0 });
    const body = text(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body);
    const sentSecond = text(firehose.commandCalls(PutRecordBatchCommand)[0]!.args[0].input.Records![1]!.Data);
    expect(body).toBe(sentSecond);
    expect(JSON.parse(body)).toMatchObject({ request_id: event.requestId, lead_id: 'lead-1' });
    expect(l.counts).toEqual({ written: 2, failed: 1, fallback: 1 });
    expect(l.logger.warn).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ code: 'LAKE_RECORDS_FALLBACK', records: 1 }),
    );
  });

  it('reports the records unplaced, and logs LAKE_UNAVAILABLE, when the fallback fails too', async () => {
    firehose.on(PutRecordBatchCommand).rejects(new Error('ServiceUnavailable'));
    s3.on(PutObjectCommand).rejects(new Error('AccessDenied'));
    const l = lake();
    l.writer.pushEvent(eventOf(x, 0, 4));

    const placed = await flushLake({ ...l }, 10_000);

    expect(placed).toMatchObject({ delivered: 0, fallback: 0, unplaced: 4 });
    expect(l.counts).toEqual({ failed: 4, unplaced: 4 });
    expect(l.logger.error).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ code: 'LAKE_UNAVAILABLE', records: 4, error: 'AccessDenied' }),
    );
    expect(l.writer.queueDepth).toBe(0);
  });

  it('reports the records unplaced without calling AWS when the invocation has no time left', async () => {
    const l = lake();
    l.writer.pushEvent(eventOf(x, 0, 2));

    const placed = await flushLake({ ...l, safetyMs: 250 }, 200);

    expect(placed).toMatchObject({ unplaced: 2 });
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('keeps nothing for the next invocation: a flush after an unplaced one sends only its own records', async () => {
    firehose.on(PutRecordBatchCommand).rejects(new Error('ServiceUnavailable'));
    const l = lake({ fallback: false });
    l.writer.pushEvent(eventOf(x, 0, 3));
    expect(await flushLake({ ...l }, 10_000)).toMatchObject({ unplaced: 3 });

    firehose.reset();
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });
    const next = eventOf(x, 10, 2);
    l.writer.pushEvent(next);

    expect(await flushLake({ ...l }, 10_000)).toEqual({ delivered: 2, fallback: 0, unplaced: 0 });
    const sent = firehose.commandCalls(PutRecordBatchCommand).flatMap((c) => c.args[0].input.Records ?? []);
    expect(sent.map((r) => (JSON.parse(text(r.Data)) as { request_id: string }).request_id)).toEqual([
      next.requestId,
      next.requestId,
    ]);
  });
});

describe('lakeUnavailable', () => {
  it('answers 503 LAKE_UNAVAILABLE with Retry-After and the request id, without the scores', () => {
    const res = {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r-9' },
      body: '{"results":[]}',
    };

    const out = lakeUnavailable(res);

    expect(out.status).toBe(503);
    expect(out.headers).toMatchObject({ 'retry-after': '1', 'x-request-id': 'r-9' });
    expect(JSON.parse(out.body)).toMatchObject({ error: { code: 'LAKE_UNAVAILABLE' } });
    expect(out.body).not.toContain('results');
  });
});
