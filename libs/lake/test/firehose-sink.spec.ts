import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { FEATURE_NAMES, NUM_FEATURES, fakeLogger, record } from './fixtures';
import { BufferedLakeWriter } from '../src';
import { FirehoseSink, FIREHOSE_MAX_BYTES, FIREHOSE_MAX_RECORD_BYTES, putRecords } from '../src/firehose';

process.env['AWS_REGION'] = 'us-east-1';
process.env['AWS_ACCESS_KEY_ID'] = 'test';
process.env['AWS_SECRET_ACCESS_KEY'] = 'test';
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';

const firehose = mockClient(FirehoseClient);
const noSleep = async (): Promise<void> => undefined;
const decode = (d: Uint8Array | undefined): Record<string, unknown> =>
  JSON.parse(new TextDecoder().decode(d)) as Record<string, unknown>;
const sentIds = (call: number): string[] =>
  (firehose.commandCalls(PutRecordBatchCommand)[call]?.args[0].input.Records ?? []).map((r) =>
    String(decode(r.Data).request_id),
  );

beforeEach(() => firehose.reset());

describe('FirehoseSink', () => {
  it('splits 1,200 records into calls of 500, 500 and 200', async () => {
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });
    const sink = new FirehoseSink({
      featureNames: FEATURE_NAMES,
      streamName: 'scores',
      client: new FirehoseClient({}),
      sleep: noSleep,
    });
    await sink.write(Array.from({ length: 1200 }, (_, i) => record(i)));
    const calls = firehose.commandCalls(PutRecordBatchCommand);
    expect(calls.map((c) => c.args[0].input.Records?.length)).toEqual([500, 500, 200]);
    expect(calls[0]?.args[0].input.DeliveryStreamName).toBe('scores');
  });

  it('sends newline-delimited JSON with the features as a name-to-value map (missing ones left out) and an ISO timestamp', async () => {
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });
    await new FirehoseSink({ featureNames: FEATURE_NAMES, streamName: 's', client: new FirehoseClient({}) }).write([
      record(7),
    ]);
    const data = firehose.commandCalls(PutRecordBatchCommand)[0]?.args[0].input.Records?.[0]?.Data;
    const text = new TextDecoder().decode(data);
    expect(text.endsWith('\n')).toBe(true);
    const line = decode(data) as { features: Record<string, number> };
    expect(line).toMatchObject({
      request_id: 'r7',
      ts: '2024-05-01T07:30:00.000Z',
      features: { [FEATURE_NAMES[1]!]: 7 },
    });
    expect(Object.keys(line.features)).toEqual(FEATURE_NAMES.slice(1));
  });

  it('keeps every call under 4 MiB', async () => {
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });
    const big = Array.from({ length: 60 }, (_, i) => ({ ...record(i), request_id: `r${i}-${'x'.repeat(200_000)}` }));
    await new FirehoseSink({ featureNames: FEATURE_NAMES, streamName: 's', client: new FirehoseClient({}) }).write(big);
    const calls = firehose.commandCalls(PutRecordBatchCommand);
    expect(calls.length).toBeGreaterThan(2);
    for (const c of calls) {
      const bytes = (c.args[0].input.Records ?? []).reduce((s, r) => s + (r.Data?.byteLength ?? 0), 0);
      expect(bytes).toBeLessThanOrEqual(FIREHOSE_MAX_BYTES);
    }
    expect(calls.reduce((s, c) => s + (c.args[0].input.Records?.length ?? 0), 0)).toBe(60);
  });

  it('re-sends exactly the records whose responses carry an ErrorCode', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce({
        FailedPutCount: 2,
        RequestResponses: [
          { RecordId: 'a' },
          { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'slow down' },
          { RecordId: 'c' },
          { ErrorCode: 'InternalFailure' },
        ],
      })
      .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'x' }, { RecordId: 'y' }] });
    await new FirehoseSink({
      featureNames: FEATURE_NAMES,
      streamName: 's',
      client: new FirehoseClient({}),
      sleep: noSleep,
    }).write([record(0), record(1), record(2), record(3)]);
    expect(sentIds(0)).toEqual(['r0', 'r1', 'r2', 'r3']);
    expect(sentIds(1)).toEqual(['r1', 'r3']);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(2);
  });

  it('throws the still-rejected records as undelivered after its bounded attempts', async () => {
    const sink = new FirehoseSink({
      featureNames: FEATURE_NAMES,
      streamName: 's',
      client: new FirehoseClient({}),
      sleep: noSleep,
      retry: { maxAttempts: 3 },
    });
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce({ FailedPutCount: 1, RequestResponses: [{ RecordId: 'a' }, { ErrorCode: 'InternalFailure' }] })
      .resolves({ FailedPutCount: 1, RequestResponses: [{ ErrorCode: 'InternalFailure' }] });
    await expect(sink.write([record(0), record(1)])).rejects.toMatchObject({
      code: 'LAKE_SINK_FAILED',
      undelivered: [expect.objectContaining({ request_id: 'r1' })],
    });
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(3);
  });

  it('backs off with jitter between attempts, bounded by the cap', async () => {
    firehose.on(PutRecordBatchCommand).rejects(new Error('throttled'));
    const delays: number[] = [];
    const sink = new FirehoseSink({
      streamName: 's',
      featureNames: FEATURE_NAMES,
      client: new FirehoseClient({}),
      random: () => 0.999,
      sleep: async (ms) => {
        delays.push(ms);
      },
      retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 300 },
    });
    await expect(sink.write([record(0)])).rejects.toMatchObject({
      undelivered: [expect.objectContaining({ request_id: 'r0' })],
    });
    expect(delays).toEqual([99, 199, 299, 299]);
  });

  it('delivers everything through a BufferedLakeWriter despite a failing call', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .rejectsOnce(new Error('network'))
      .resolves({ FailedPutCount: 0, RequestResponses: [] });
    const sink = new FirehoseSink({
      featureNames: FEATURE_NAMES,
      streamName: 's',
      client: new FirehoseClient({}),
      sleep: noSleep,
    });
    const writer = new BufferedLakeWriter({ featureWidth: NUM_FEATURES, sink, sleep: noSleep, logger: fakeLogger() });
    for (let i = 0; i < 700; i++) writer.push(record(i));
    const stats = await writer.close();
    expect(stats).toMatchObject({ written: 700, dropped: 0 });
    const sent = firehose
      .commandCalls(PutRecordBatchCommand)
      .slice(1)
      .flatMap((c) => c.args[0].input.Records ?? []);
    expect(sent).toHaveLength(700);
  });

  it('returns exactly the refused records, with the bytes Firehose was sent, from deliver instead of throwing', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce({
        FailedPutCount: 1,
        RequestResponses: [{ RecordId: 'a' }, { ErrorCode: 'InternalFailure' }, { RecordId: 'c' }],
      })
      .resolves({ FailedPutCount: 1, RequestResponses: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try later' }] });
    const sink = new FirehoseSink({
      featureNames: FEATURE_NAMES,
      streamName: 's',
      client: new FirehoseClient({}),
      sleep: noSleep,
    });

    const { undelivered, error } = await sink.deliver([record(0), record(1), record(2)]);

    expect(undelivered.map((e) => e.record.request_id)).toEqual(['r1']);
    expect(new TextDecoder().decode(undelivered[0]!.data)).toBe(
      new TextDecoder().decode(firehose.commandCalls(PutRecordBatchCommand)[0]!.args[0].input.Records![1]!.Data),
    );
    expect(String(error)).toContain('InternalFailure');
  });

  it('abandons a call still in flight at the deadline and returns its records', async () => {
    firehose.on(PutRecordBatchCommand).callsFake(() => new Promise(() => undefined));
    const sink = new FirehoseSink({ featureNames: FEATURE_NAMES, streamName: 's', client: new FirehoseClient({}) });
    const started = Date.now();

    const { undelivered, error } = await sink.deliver([record(0), record(1)], { deadline: started + 80 });

    expect(undelivered).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(String(error)).toContain('deadline');
  });

  it('starts no call once the deadline has passed', async () => {
    const sink = new FirehoseSink({ featureNames: FEATURE_NAMES, streamName: 's', client: new FirehoseClient({}) });

    const { undelivered } = await sink.deliver([record(0)], { deadline: Date.now() - 1 });

    expect(undelivered).toHaveLength(1);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
  });
});

describe('putRecords', () => {
  it('returns an entry over 1,000 KiB as undelivered without sending it, and sends the others', async () => {
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });
    const small = { id: 'small', data: new Uint8Array(10) };
    const huge = { id: 'huge', data: new Uint8Array(FIREHOSE_MAX_RECORD_BYTES + 1) };

    const { undelivered } = await putRecords([huge, small], {
      client: new FirehoseClient({}),
      streamName: 's',
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });

    expect(undelivered.map((e) => e.id)).toEqual(['huge']);
    expect(firehose.commandCalls(PutRecordBatchCommand).map((c) => c.args[0].input.Records?.length)).toEqual([1]);
  });
});
