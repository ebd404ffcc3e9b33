import { FEATURE_NAMES, NUM_FEATURES, eventOf, sampleRows } from './fixtures';
import { FRAME_HEADER, FrameBuffer, encodeRequestFrame, encodeSchemaFrame, readFrames } from '../src/spool-frame';

const frame = (encode: (out: FrameBuffer) => number): Buffer => {
  const out = new FrameBuffer();
  return Buffer.from(out.buf.subarray(0, encode(out)));
};

describe('a spool frame', () => {
  const x = sampleRows(3, 5);
  const event = eventOf(x, 0, 3, {
    requestId: 'réq-✓',
    degraded: true,
    latencyMs: 7.25,
    leadIds: ['crm-1', null, 'ü-𝄞'],
    results: [{ score: 2, probabilities: [0.5, 0.25, 0.25] }, { score: 5, probability: 0.875 }, { score: 1 }],
  });

  it('carries a scored request field by field: ids, scores, probabilities of any length, missing values', () => {
    const segment = Buffer.concat([
      frame((o) => encodeSchemaFrame(o, FEATURE_NAMES)),
      frame((o) => encodeRequestFrame(o, event, NUM_FEATURES)),
    ]);

    const { names, requests, ignoredBytes } = readFrames(segment);

    expect([names, ignoredBytes, requests.length]).toEqual([FEATURE_NAMES, 0, 1]);
    const r = requests[0]!;
    expect([r.requestId, r.ts, r.modelName, r.modelVersion, r.latencyMs, r.degraded, r.n]).toEqual([
      'réq-✓',
      event.ts,
      'demo',
      '1.0.0',
      7.25,
      true,
      3,
    ]);
    expect([...r.score]).toEqual([2, 5, 1]);
    expect([...r.probLen]).toEqual([3, 0, 0]);
    expect([...r.probs.subarray(0, 3)]).toEqual([0.5, 0.25, 0.25]);
    expect([...r.probability].map((p) => (Number.isNaN(p) ? null : p))).toEqual([null, 0.875, null]);
    expect(r.leadIds).toEqual(['crm-1', null, 'ü-𝄞']);
    expect(
      Buffer.from(r.features.buffer, r.features.byteOffset, r.features.byteLength).equals(Buffer.from(x.buffer)),
    ).toBe(true);
  });

  it('writes features past the end of the caller rows as missing', () => {
    const short = { ...event, x: x.subarray(0, NUM_FEATURES * 2) };

    const r = readFrames(frame((o) => encodeRequestFrame(o, short, NUM_FEATURES))).requests[0]!;

    expect([...r.features.subarray(NUM_FEATURES * 2)].every(Number.isNaN)).toBe(true);
  });

  it('ignores a torn last frame and reports its bytes, keeping the whole frames before it', () => {
    const whole = frame((o) => encodeRequestFrame(o, event, NUM_FEATURES));
    const segment = Buffer.concat([whole, whole.subarray(0, whole.length - 9)]);

    const { requests, ignoredBytes } = readFrames(segment);

    expect([requests.length, ignoredBytes]).toEqual([1, whole.length - 9]);
  });

  it('stops at a frame whose checksum does not hold', () => {
    const whole = frame((o) => encodeRequestFrame(o, event, NUM_FEATURES));
    const corrupt = Buffer.from(whole);
    corrupt[FRAME_HEADER + 40]! ^= 0xff;

    const { requests, ignoredBytes } = readFrames(Buffer.concat([whole, corrupt, whole]));

    expect([requests.length, ignoredBytes]).toEqual([1, 2 * whole.length]);
  });
});
