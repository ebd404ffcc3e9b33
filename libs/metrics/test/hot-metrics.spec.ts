import { AggregatorRegistry, Counter, Histogram, Registry } from 'prom-client';
import { HotCounter, HotHistogram } from '../src/hot-metrics';

const BUCKETS = [0.5, 1, 2.5, 10];
const values = [0.1, 0.5, 0.7, 1, 3, 9.99, 10, 42, 1e6];

/** The same metrics twice: prom-client's own classes and the typed-array ones, in separate registries. */
function pair() {
  const ref = new Registry();
  const hot = new Registry();
  const h = { name: 'lat_ms', help: 'Latency', labelNames: ['route'], buckets: BUCKETS };
  const c = { name: 'req_total', help: 'Requests', labelNames: ['route', 'status'] };
  return {
    ref,
    hot,
    refHist: new Histogram({ ...h, registers: [ref] }),
    hotHist: new HotHistogram({ ...h, registers: [hot] }),
    refCount: new Counter({ ...c, registers: [ref] }),
    hotCount: new HotCounter({ ...c, registers: [hot] }),
    refPlain: new Histogram({ name: 'batch', help: 'Batch', buckets: [1, 10], registers: [ref] }),
    hotPlain: new HotHistogram({ name: 'batch', help: 'Batch', buckets: [1, 10], registers: [hot] }),
  };
}

describe('hot metrics', () => {
  it('render exactly the Prometheus text prom-client renders for the same observations', async () => {
    const m = pair();
    const score = m.hotHist.handle('/score');
    const health = m.hotHist.handle('/health');
    for (const v of values) {
      m.refHist.labels('/score').observe(v);
      m.hotHist.record(score, v);
    }
    m.refHist.labels('/health').observe(2);
    m.hotHist.record(health, 2);
    m.refCount.labels('/score', '200').inc();
    m.refCount.labels('/score', '200').inc(4);
    m.refCount.labels('/score', '422').inc();
    m.hotCount.add(m.hotCount.handle('/score', '200'));
    m.hotCount.add(m.hotCount.handle('/score', '200'), 4);
    m.hotCount.add(m.hotCount.handle('/score', '422'));
    m.refPlain.observe(3);
    m.hotPlain.record(m.hotPlain.handle(), 3);
    expect(await m.hot.metrics()).toBe(await m.ref.metrics());
  });

  it('aggregate across cluster workers like prom-client (counts and sums added)', async () => {
    const refs = [pair(), pair()];
    for (const [k, m] of refs.entries()) {
      m.refHist.labels('/score').observe(k + 1);
      m.hotHist.record(m.hotHist.handle('/score'), k + 1);
      m.refCount.labels('/score', '200').inc(k + 2);
      m.hotCount.add(m.hotCount.handle('/score', '200'), k + 2);
    }
    const ref = AggregatorRegistry.aggregate(await Promise.all(refs.map((m) => m.ref.getMetricsAsJSON())));
    const hot = AggregatorRegistry.aggregate(await Promise.all(refs.map((m) => m.hot.getMetricsAsJSON())));
    expect(await hot.metrics()).toBe(await ref.metrics());
  });

  it('ignore non-finite observations and start from zero again after a registry reset', async () => {
    const m = pair();
    const h = m.hotPlain.handle();
    m.hotPlain.record(h, Number.NaN);
    m.hotPlain.record(h, Number.POSITIVE_INFINITY);
    expect(await m.hot.metrics()).toContain('batch_count 0');
    m.hotPlain.record(h, 5);
    m.hotCount.add(m.hotCount.handle('/x', '200'), 3);
    expect(await m.hot.metrics()).toContain('batch_count 1');
    m.hot.resetMetrics();
    const text = await m.hot.metrics();
    expect(text).toContain('batch_count 0');
    expect(text).toContain('req_total{route="/x",status="200"} 0');
  });

  it('refuse a label set of the wrong size with an error naming the labels', () => {
    const m = pair();
    expect(() => m.hotCount.handle('/score')).toThrow('req_total: expected labels (route, status), got 1 value(s)');
  });
});
