import type { Counter, Registry } from 'prom-client';

/*
 * prom-client's observe()/inc() allocate a label object, validate and hash the labels, and key buckets
 * by stringified bounds: ~0.5-1 µs per call, paid per lead on the request path. The two metric types
 * here record into dense typed arrays instead (a label set becomes an index once) and hand prom-client
 * the same metric objects its own Counter/Histogram produce, only when scraped, so the registry, text
 * exposition and cluster aggregation stay prom-client's.
 */

type LabelValue = string | number;
type Labels = Record<string, LabelValue>;
interface MetricValue {
  labels: Labels;
  value: number;
  metricName?: string;
}

/** Options shared by both metric types. */
export interface HotMetricOptions {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
  readonly registers: readonly Registry[];
  /** prom-client's cluster aggregator (default `sum`). */
  readonly aggregator?: 'sum' | 'max' | 'min' | 'average' | 'first' | 'omit';
}

function grow(a: Float64Array<ArrayBuffer>, length: number): Float64Array<ArrayBuffer> {
  if (a.length >= length) return a;
  const next = new Float64Array(Math.max(length, a.length * 2));
  next.set(a);
  return next;
}

/** Name, help, the distinct label sets with their dense indexes, and registration. */
abstract class HotMetric {
  readonly name: string;
  readonly help: string;
  readonly aggregator: string;
  readonly labels: Labels[] = [];
  private readonly names: readonly string[];
  private readonly byKey = new Map<string, number>();
  abstract readonly type: 'counter' | 'histogram';

  constructor(opts: HotMetricOptions) {
    this.name = opts.name;
    this.help = opts.help;
    this.names = opts.labelNames ?? [];
    this.aggregator = opts.aggregator ?? 'sum';
    // prom-client's Registry only reads name/type/aggregator, get()/getForPromString() and reset().
    for (const r of opts.registers) r.registerMetric(this as unknown as Counter);
  }

  /** The dense index of a label set (values in labelNames order); resolve once, use on the hot path. */
  handle(...values: LabelValue[]): number {
    if (values.length !== this.names.length) {
      throw new Error(`${this.name}: expected labels (${this.names.join(', ')}), got ${values.length} value(s)`);
    }
    const key = values.join('\u0000');
    let i = this.byKey.get(key);
    if (i === undefined) {
      i = this.labels.length;
      const labels: Labels = {};
      this.names.forEach((n, k) => (labels[n] = values[k]!));
      this.labels.push(labels);
      this.byKey.set(key, i);
      this.sized(i + 1);
    }
    return i;
  }

  protected abstract sized(series: number): void;
  protected abstract values(): MetricValue[];
  abstract reset(): void;

  /** prom-client's metric object for this metric (what its Registry and AggregatorRegistry read). */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: MetricValue[] }> {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.values() };
  }

  getForPromString(): ReturnType<HotMetric['get']> {
    return this.get();
  }
}

/**
 * A counter: `add(handle, n)` is a typed-array add.
 *
 * @example
 * const c = new HotCounter({ name: 'x_total', help: 'x', labelNames: ['score'], registers: [registry] });
 * const five = c.handle('5'); c.add(five);
 */
export class HotCounter extends HotMetric {
  readonly type = 'counter';
  private counts = new Float64Array(4);

  constructor(opts: HotMetricOptions) {
    super(opts);
    if (!opts.labelNames?.length) this.handle();
  }

  protected sized(series: number): void {
    this.counts = grow(this.counts, series);
  }

  add(handle: number, n = 1): void {
    this.counts[handle]! += n;
  }

  protected values(): MetricValue[] {
    return this.labels.map((labels, i) => ({ labels: { ...labels }, value: this.counts[i]! }));
  }

  reset(): void {
    this.counts.fill(0);
  }
}

/**
 * A histogram: `record(handle, v)` is a bucket scan and three typed-array adds; non-finite values are ignored.
 *
 * @example
 * const h = new HotHistogram({ name: 'lat_ms', help: 'ms', buckets: [1, 5, 10], registers: [registry] });
 * h.record(h.handle(), 3.2);
 */
export class HotHistogram extends HotMetric {
  readonly type = 'histogram';
  private readonly bounds: Float64Array;
  private counts = new Float64Array(0);
  private sums = new Float64Array(0);
  private totals = new Float64Array(0);

  constructor(opts: HotMetricOptions & { readonly buckets: readonly number[] }) {
    super(opts);
    this.bounds = Float64Array.from([...opts.buckets].sort((a, b) => a - b));
    if (!opts.labelNames?.length) this.handle();
  }

  protected sized(series: number): void {
    const stride = this.bounds.length + 1;
    this.counts = grow(this.counts, series * stride);
    this.sums = grow(this.sums, series);
    this.totals = grow(this.totals, series);
  }

  record(handle: number, v: number): void {
    if (!Number.isFinite(v)) return;
    const b = this.bounds;
    let k = 0;
    while (k < b.length && v > b[k]!) k++;
    this.counts[handle * (b.length + 1) + k]!++;
    this.sums[handle]! += v;
    this.totals[handle]!++;
  }

  protected values(): MetricValue[] {
    const stride = this.bounds.length + 1;
    const bucket = `${this.name}_bucket`;
    const out: MetricValue[] = [];
    this.labels.forEach((labels, i) => {
      let acc = 0;
      for (let k = 0; k < this.bounds.length; k++) {
        acc += this.counts[i * stride + k]!;
        out.push({ labels: { le: this.bounds[k]!, ...labels }, value: acc, metricName: bucket });
      }
      out.push({ labels: { le: '+Inf', ...labels }, value: this.totals[i]!, metricName: bucket });
      out.push({ labels: { ...labels }, value: this.sums[i]!, metricName: `${this.name}_sum` });
      out.push({ labels: { ...labels }, value: this.totals[i]!, metricName: `${this.name}_count` });
    });
    return out;
  }

  reset(): void {
    this.counts.fill(0);
    this.sums.fill(0);
    this.totals.fill(0);
  }
}
