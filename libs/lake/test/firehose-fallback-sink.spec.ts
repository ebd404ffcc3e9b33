import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { FEATURE_NAMES, NUM_FEATURES, fakeLogger, record } from './fixtures';
import { BufferedLakeWriter, toJsonLine, type LakeRecord } from '../src';
import { FirehoseFallbackSink, FirehoseSink, S3FallbackWriter } from '../src/firehose';

process.env['AWS_REGION'] = 'us-east-1';
process.env['AWS_ACCESS_KEY_ID'] = 'test';
process.env['AWS_SECRET_ACCESS_KEY'] = 'test';
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';

const firehose = mockClient(FirehoseClient);
const s3 = mockClient(S3Client);
const noSleep = async (): Promise<void> => undefined;
const text = (d: unknown): string => (typeof d === 'string' ? d : new TextDecoder().decode(d as Uint8Array));
const idOf = (line: string): string => (JSON.parse(line) as { request_id: string }).request_id;

/** The one fallback object written: its key and NDJSON lines. */
function fallbackObject(): { key: string; lines: string[] } {
  const puts = s3.commandCalls(PutObjectCommand);
  expect(puts).toHaveLength(1);
  const input = puts[0]!.args[0].input;
  return {
    key: String(input.Key),
    lines: text(input.Body)
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => `${l}\n`),
  };
}

function sinkWith(opts: { fallback?: boolean; reserveMs?: number } = {}): FirehoseFallbackSink {
  const fh = new FirehoseSink({
    featureNames: FEATURE_NAMES,
    streamName: 'scores',
    client: new FirehoseClient({}),
    sleep: noSleep,
  });
  const fallback =
    opts.fallback === false
      ? null
      : new S3FallbackWriter({ uri: 's3://lead-scoring-lake-test/_failed/', client: new S3Client({}) });
  return new FirehoseFallbackSink({
    firehose: fh,
    fallback,
    ...(opts.reserveMs !== undefined ? { fallbackReserveMs: opts.reserveMs } : {}),
  });
}

const records = (n: number): LakeRecord[] => Array.from({ length: n }, (_, i) => record(i));

beforeEach(() => {
  firehose.reset();
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
});

describe('FirehoseFallbackSink', () => {
  it('puts exactly the records Firehose keeps refusing into one fallback object, as the lines Firehose was sent', async () => {
    const refuse = (ids: number[], n: number) => ({
      FailedPutCount: ids.length,
      RequestResponses: Array.from({ length: n }, (_, i) =>
        ids.includes(i) ? { ErrorCode: 'ServiceUnavailableException' } : { RecordId: `ok${i}` },
      ),
    });
    // First call: r1 and r3 refused; the retries: r1 accepted, r3 refused twice more.
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce(refuse([1, 3], 5))
      .resolvesOnce(refuse([1], 2))
      .resolves(refuse([0], 1));
    const sink = sinkWith();
    const batch = records(5);

    sink.begin(Date.now() + 5_000);
    await sink.write(batch);
    const placed = await sink.settle();

    expect(placed).toMatchObject({ delivered: 4, fallback: 1, unplaced: 0 });
    const { key, lines } = fallbackObject();
    expect(lines).toEqual([toJsonLine(batch[3]!, FEATURE_NAMES)]);
    expect(key).toMatch(/^_failed\/dt=\d{4}-\d{2}-\d{2}\/hour=\d{2}\/\d+-[0-9a-f-]{36}\.ndjson$/);
    expect(placed.object).toMatchObject({ bucket: 'lead-scoring-lake-test', key, records: 1 });
  });

  it('holds every record of a Firehose outage, none twice, in a single object per flush', async () => {
    firehose.on(PutRecordBatchCommand).rejects(new Error('ServiceUnavailable'));
    const sink = sinkWith();
    const writer = new BufferedLakeWriter({
      featureWidth: NUM_FEATURES,
      sink,
      flushIntervalMs: 3_600_000,
      logger: fakeLogger(),
    });
    const batch = records(2_300);
    writer.pushMany(batch);

    sink.begin(Date.now() + 5_000);
    await writer.flush();
    const placed = await sink.settle();

    expect(placed).toMatchObject({ delivered: 0, fallback: 2_300, unplaced: 0 });
    expect(writer.queueDepth).toBe(0);
    const ids = fallbackObject().lines.map(idOf);
    expect(new Set(ids).size).toBe(2_300);
    expect(ids.sort()).toEqual(batch.map((r) => r.request_id).sort());
    await writer.close();
  });

  it('reports the records as unplaced when the fallback write fails', async () => {
    firehose.on(PutRecordBatchCommand).rejects(new Error('ServiceUnavailable'));
    s3.on(PutObjectCommand).rejects(new Error('AccessDenied'));
    const sink = sinkWith();

    sink.begin(Date.now() + 5_000);
    await sink.write(records(3));
    const placed = await sink.settle();

    expect(placed).toMatchObject({ delivered: 0, fallback: 0, unplaced: 3 });
    expect(String(placed.fallbackError)).toContain('AccessDenied');
    expect(String(placed.firehoseError)).toContain('ServiceUnavailable');
  });

  it('reports the records as unplaced when no fallback is configured', async () => {
    firehose.on(PutRecordBatchCommand).rejects(new Error('ServiceUnavailable'));
    const sink = sinkWith({ fallback: false });

    sink.begin(Date.now() + 5_000);
    await sink.write(records(2));

    expect(await sink.settle()).toMatchObject({ fallback: 0, unplaced: 2 });
  });

  it('tries neither Firehose nor the fallback when the flush has no time left', async () => {
    const sink = sinkWith();

    sink.begin(Date.now() - 1);
    await sink.write(records(2));

    expect(await sink.settle()).toMatchObject({ delivered: 0, fallback: 0, unplaced: 2 });
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('keeps time for the fallback when Firehose hangs: the object is written before the deadline', async () => {
    firehose.on(PutRecordBatchCommand).callsFake(() => new Promise(() => undefined));
    const sink = sinkWith({ reserveMs: 150 });
    const deadline = Date.now() + 400;

    sink.begin(deadline);
    await sink.write(records(4));
    const placed = await sink.settle();

    expect(placed).toMatchObject({ fallback: 4, unplaced: 0 });
    expect(Date.now()).toBeLessThan(deadline);
  });

  it('reports nothing to place after a flush Firehose took whole, and starts the next flush empty', async () => {
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });
    const sink = sinkWith();

    sink.begin(Date.now() + 5_000);
    await sink.write(records(3));
    expect(await sink.settle()).toEqual({ delivered: 3, fallback: 0, unplaced: 0 });
    expect(await sink.settle()).toEqual({ delivered: 0, fallback: 0, unplaced: 0 });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
