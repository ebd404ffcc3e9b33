import { eventOf, sampleRows } from '../src/testing';
import type { DriftSource, FlaggedValue } from '../src';
import { EmfRecorder, type EmfRecorderOptions } from '../src/emf-door';

interface Directive {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit: string }[];
}
type Emf = { _aws: { Timestamp: number; CloudWatchMetrics: Directive[] }; [k: string]: unknown };

/** A recorder whose documents are collected, parsed. */
function recorder(opts: EmfRecorderOptions = {}): { emf: EmfRecorder; docs: Emf[] } {
  const docs: Emf[] = [];
  const emf = new EmfRecorder({
    serviceName: 'api',
    now: () => 1_796_612_400_000,
    ...opts,
    write: (line) => docs.push(JSON.parse(line) as Emf),
  });
  return { emf, docs };
}

/** Checks a document against the EMF specification's rules for what it references. */
function expectValidEmf(doc: Emf): void {
  for (const d of doc._aws.CloudWatchMetrics) {
    expect(d.Namespace).toBe('LeadScoring');
    expect(d.Metrics.length).toBeLessThanOrEqual(100);
    for (const set of d.Dimensions) {
      expect(set.length).toBeLessThanOrEqual(30);
      for (const key of set) expect(typeof doc[key]).toBe('string');
    }
    for (const m of d.Metrics) {
      const v = doc[m.Name];
      const values = Array.isArray(v) ? v : [v];
      expect(values.length).toBeLessThanOrEqual(100);
      for (const n of values) expect(typeof n).toBe('number');
      expect(m.Name).toMatch(/^[\x20-\x7e]{1,255}$/);
    }
  }
}

const names = (doc: Emf): string[] => doc._aws.CloudWatchMetrics.flatMap((d) => d.Metrics.map((m) => m.Name));
const x = sampleRows(300, 31);
const warn = (feature: string, code = 'OUT_OF_RANGE'): FlaggedValue => ({ feature, code });

describe('EmfRecorder', () => {
  it('writes exactly one document per invocation, holding every metric of it', () => {
    const { emf, docs } = recorder();

    emf.recordRequest('/score', 200, 5);
    emf.recordScored(eventOf(x, 0, 50, { degraded: true, invalidLeads: 2, warnings: [[warn('country_tier')]] }));
    emf.lakeObserver.written(48);
    emf.lakeObserver.failed(2);
    emf.lakeObserver.fallback(2);
    emf.lakeObserver.dropped(1);
    emf.lakeObserver.unplaced(0);
    emf.setCircuitOpen(true);
    emf.publish();

    expect(docs).toHaveLength(1);
    const doc = docs[0]!;
    expectValidEmf(doc);
    expect(names(doc)).toEqual(
      expect.arrayContaining([
        'Requests',
        'RequestLatency',
        'ModelLatency',
        'BatchSize',
        'ScorerFallbacks',
        'InvalidLeads',
        'CircuitOpen',
        'FeatureWarnings',
        'FeatureWarnings.country_tier.OUT_OF_RANGE',
        'LakeRecordsWritten',
        'LakeRecordsFailed',
        'LakeRecordsFallback',
        'LakeRecordsDropped',
      ]),
    );
    expect(doc).toMatchObject({
      service: 'api',
      BatchSize: 50,
      LakeRecordsFallback: 2,
      InvalidLeads: 2,
      CircuitOpen: 1,
      _aws: { Timestamp: 1_796_612_400_000 },
    });
  });

  it('counts the scores of a request as Score1..Score5', () => {
    const { emf, docs } = recorder();
    const event = eventOf(x, 0, 50);

    emf.recordScored(event);
    emf.publish();

    const expected: Record<string, number> = {};
    for (const r of event.results) expected[`Score${r.score}`] = (expected[`Score${r.score}`] ?? 0) + 1;
    expect(docs[0]).toMatchObject(expected);
    expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBe(50);
  });

  it('dimensions Requests by service, Route and Status, and every other metric by service alone', () => {
    const { emf, docs } = recorder();

    emf.recordRequest('/score', 200, 5);
    emf.recordScored(eventOf(x, 0, 3));
    emf.publish();

    const [byService, byRoute] = docs[0]!._aws.CloudWatchMetrics;
    expect(byService!.Dimensions).toEqual([['service']]);
    expect(byService!.Metrics.map((m) => m.Name)).not.toContain('Requests');
    expect(byRoute).toMatchObject({
      Dimensions: [['service', 'Route', 'Status']],
      Metrics: [{ Name: 'Requests', Unit: 'Count' }],
    });
    expect(docs[0]).toMatchObject({ Route: '/score', Status: '200', Requests: 1, RequestLatency: 5 });
  });

  it('counts the request under the status it was finally answered with', () => {
    const { emf, docs } = recorder();

    emf.recordRequest('/score', 200, 5);
    emf.setStatus(503);
    emf.publish();

    expect(docs[0]).toMatchObject({ Status: '503', Requests: 1 });
  });

  it('starts another document when a request with another status comes before the publish', () => {
    const { emf, docs } = recorder();

    emf.recordRequest('/score', 200, 5);
    emf.recordRequest('/score', 200, 6);
    emf.recordRequest('/health', 200, 1);
    emf.publish();

    expect(docs.map((d) => [d['Route'], d['Requests'], d['RequestLatency']])).toEqual([
      ['/score', 2, [5, 6]],
      ['/health', 1, 1],
    ]);
  });

  it('keeps the total of flagged values and a metric for each of the 20 most frequent pairs, for a model of 300 features', () => {
    const { emf, docs } = recorder();
    const features = Array.from({ length: 300 }, (_, i) => `feature_${String(i).padStart(3, '0')}`);
    // Feature i is flagged on i % 7 + 1 of the 50 leads.
    const warnings = Array.from({ length: 50 }, (_, lead) =>
      features.filter((_, i) => lead < (i % 7) + 1).map((f) => warn(f)),
    );

    emf.recordScored(eventOf(x, 0, 50, { warnings }));
    emf.publish();

    const doc = docs[0]!;
    expectValidEmf(doc);
    const perFeature = names(doc).filter((n) => n.startsWith('FeatureWarnings.'));
    expect(perFeature).toHaveLength(20);
    expect(perFeature.every((n) => doc[n] === 7)).toBe(true);
    expect(doc['FeatureWarnings']).toBe(features.reduce((s, _, i) => s + (i % 7) + 1, 0));
  });

  it('makes feature names ASCII in metric names', () => {
    const { emf, docs } = recorder();

    emf.recordScored(eventOf(x, 0, 1, { warnings: [[warn('umsatz €/jahr', 'NOT_WHOLE_NUMBER')]] }));
    emf.publish();

    expectValidEmf(docs[0]!);
    expect(docs[0]!['FeatureWarnings.umsatz___jahr.NOT_WHOLE_NUMBER']).toBe(1);
  });

  it('writes nothing for an invocation that recorded nothing', () => {
    const { emf, docs } = recorder();

    emf.publish();

    expect(docs).toHaveLength(0);
  });

  it('adds DriftPsiMax once the drift window has enough rows', () => {
    let rows = 0;
    const drift: DriftSource = {
      get windowRows() {
        return rows;
      },
      observe: (_x, n) => {
        rows += n;
      },
      snapshot: () => (rows < 50 ? null : { features: [], maxPsi: 0.3, scorePsi: null }),
    };
    const { emf, docs } = recorder({ drift });

    emf.recordScored(eventOf(x, 0, 100));
    emf.publish();

    expect(docs[0]!['DriftPsiMax']).toBe(0.3);
  });

  it('prints its document as one line on stdout by default', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const emf = new EmfRecorder();
      emf.recordRequest('/score', 200, 5);
      emf.publish();
    } finally {
      spy.mockRestore();
    }

    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('}\n')).toBe(true);
    expect(JSON.parse(lines[0]!)).toMatchObject({ service: 'lead-scoring-api', Requests: 1 });
  });
});
