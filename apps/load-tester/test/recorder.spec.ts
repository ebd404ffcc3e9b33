import { Recorder } from '../src/engine/recorder';
import { summarize } from '../src/histogram';

describe('outcome recorder', () => {
  it('counts a valid 2xx as ok and records its latency from the due time', () => {
    const r = new Recorder({ lateThresholdMs: 10 });
    r.sent(0, 0);
    r.completed({ status: 200 }, false, 25, 20);

    const i = r.cut(1);
    expect(i.counters).toMatchObject({ sent: 1, completed: 1, ok: 1, errors: 0, statusCounts: { '200': 1 } });
    expect(summarize(i.latency).p50).toBeCloseTo(25, 1);
    expect(summarize(i.service).p50).toBeCloseTo(20, 1);
  });

  it('counts an expected 4xx for an invalid request apart from errors', () => {
    const r = new Recorder({ lateThresholdMs: 10 });
    r.completed({ status: 400 }, true, 1, 1);
    r.completed({ status: 200 }, true, 1, 1);

    expect(r.cut(1).counters).toMatchObject({
      expectedRejections: 1,
      errors: 1,
      errorKinds: { invalid_accepted: 1 },
      statusCounts: { '400': 1, '200': 1 },
    });
  });

  it('counts a 5xx and a refused connection as errors by kind', () => {
    const r = new Recorder({ lateThresholdMs: 10 });
    r.completed({ status: 503 }, false, 2, 2);
    r.completed({ error: 'connection' }, false, 1, 1);

    expect(r.cut(1).counters).toMatchObject({ errors: 2, ok: 0, errorKinds: { http_503: 1, connection: 1 } });
  });

  it("keeps a timeout's latency in the histogram so a stall stays visible", () => {
    const r = new Recorder({ lateThresholdMs: 10 });
    r.completed({ error: 'timeout' }, false, 10_000, 10_000);

    const i = r.cut(1);
    expect(i.counters.errorKinds).toEqual({ timeout: 1 });
    expect(summarize(i.latency).max).toBeGreaterThanOrEqual(10_000);
  });

  it('flags sends later than the threshold and tracks the worst lag', () => {
    const r = new Recorder({ lateThresholdMs: 10 });
    [0.2, 9.9, 10.1, 55].forEach((lag, k) => r.sent(k, lag));

    expect(r.cut(1).counters).toMatchObject({ sent: 4, late: 2, maxLagMs: 55, lastSentMs: 3 });
  });

  it('starts a fresh interval on every cut', () => {
    const r = new Recorder({ lateThresholdMs: 10 });
    r.sent(0, 0);
    const first = r.cut(1);
    const second = r.cut(2);

    expect([first.second, first.counters.sent, second.second, second.counters.sent]).toEqual([0, 1, 1, 0]);
  });
});
