import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3FallbackWriter, fallbackKey, parseS3Prefix } from '../src/firehose';

process.env['AWS_REGION'] = 'us-east-1';
process.env['AWS_ACCESS_KEY_ID'] = 'test';
process.env['AWS_SECRET_ACCESS_KEY'] = 'test';
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';

const s3 = mockClient(S3Client);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

beforeEach(() => s3.reset());

describe('S3 fallback location', () => {
  it.each([
    ['s3://lake/_failed/', { bucket: 'lake', prefix: '_failed/' }],
    ['s3://lake/_failed', { bucket: 'lake', prefix: '_failed/' }],
    ['s3://lake', { bucket: 'lake', prefix: '' }],
    ['https://lake/_failed/', undefined],
  ])('reads %s as its bucket and prefix', (uri, expected) => {
    expect(parseS3Prefix(uri)).toEqual(expected);
  });

  it('names objects by UTC date and hour, then time and id', () => {
    expect(fallbackKey('_failed/', Date.UTC(2026, 11, 7, 3), 'f3c1')).toBe(
      '_failed/dt=2026-12-07/hour=03/1796612400000-f3c1.ndjson',
    );
  });

  it('refuses a URI that is not s3://', () => {
    expect(() => new S3FallbackWriter({ uri: '/tmp/lake' })).toThrow(/not an s3:\/\/bucket\/prefix\/ URI/);
  });
});

describe('S3FallbackWriter', () => {
  it('writes the lines as one NDJSON object under its prefix', async () => {
    s3.on(PutObjectCommand).resolves({});
    const writer = new S3FallbackWriter({
      uri: 's3://lake/_failed/',
      client: new S3Client({}),
      now: () => Date.UTC(2026, 11, 7, 3),
      id: () => 'id1',
    });

    const object = await writer.write([bytes('{"a":1}\n'), bytes('{"a":2}\n')]);

    expect(object).toEqual({
      bucket: 'lake',
      key: '_failed/dt=2026-12-07/hour=03/1796612400000-id1.ndjson',
      records: 2,
      bytes: 16,
    });
    const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ Bucket: 'lake', Key: object.key, ContentType: 'application/x-ndjson' });
    expect(Buffer.from(input.Body as Uint8Array).toString()).toBe('{"a":1}\n{"a":2}\n');
  });

  it('gives up at the deadline when S3 does not answer', async () => {
    s3.on(PutObjectCommand).callsFake(() => new Promise(() => undefined));
    const writer = new S3FallbackWriter({ uri: 's3://lake/_failed/', client: new S3Client({}) });

    await expect(writer.write([bytes('{}\n')], { deadline: Date.now() + 50 })).rejects.toThrow(/deadline/);
  });
});
