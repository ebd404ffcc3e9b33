import { eventOf, sampleRows } from '../src/testing';
import type { DriftSource } from '../src';
import { EmfRecorder } from '../src/emf-door';

type Emf = { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] }; [k: string]: unknown };

function captureStdout(act: () => void): Emf[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    spy.mockRestore();
  }
  return lines.flatMap((l) => l.split('\n')).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Emf);
}

const x = sampleRows(300, 31);

describe('EmfRecorder', () => {
  it('emits the contract metric names in the LeadScoring namespace', () => {
    const emf = new EmfRecorder({ serviceName: 'api' });
    const out = captureStdout(() => {
      emf.recordRequest('/score', 200, 5);
      emf.recordScored(eventOf(x, 0, 4, { degraded: true }));
      emf.lakeObserver.written(4);
      emf.lakeObserver.dropped(1);
      emf.setCircuitOpen(true);
      emf.publish();
    });
    const names = new Set(out.flatMap((o) => o._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => x.Name))));
    for (const n of ['Requests', 'RequestLatency', 'ModelLatency', 'BatchSize', 'ScoreCount', 'ScorerFallbacks', 'CircuitOpen', 'LakeRecordsWritten', 'LakeRecordsDropped']) {
      expect(names).toContain(n);
    }
    expect(out.every((o) => o._aws.CloudWatchMetrics[0]?.Namespace === 'LeadScoring')).toBe(true);
  });

  it('emits FeatureWarnings by Feature and Code, and InvalidLeads, when a request had them', () => {
    const emf = new EmfRecorder({ serviceName: 'api' });
    const out = captureStdout(() => {
      emf.recordScored(eventOf(x, 0, 2, { warnings: [[{ feature: 'country_tier', code: 'OUT_OF_RANGE' }], [{ feature: 'country_tier', code: 'OUT_OF_RANGE' }]], invalidLeads: 3 }));
      emf.publish();
    });

    const warning = out.find((o) => o._aws.CloudWatchMetrics[0]?.Metrics[0]?.Name === 'FeatureWarnings');
    expect(warning).toMatchObject({ Feature: 'country_tier', Code: 'OUT_OF_RANGE', FeatureWarnings: 2 });
    expect(out.find((o) => 'InvalidLeads' in o)?.['InvalidLeads']).toBe(3);
  });

  it('dimensions Requests by Route and Status and ScoreCount by Score', () => {
    const emf = new EmfRecorder();
    const out = captureStdout(() => {
      emf.recordRequest('/score', 200, 5);
      emf.recordScored(eventOf(x, 0, 6));
    });
    const requests = out.find((o) => o['Requests'] !== undefined);
    expect(requests).toMatchObject({ Route: '/score', Status: '200', Requests: 1 });
    const scoreLines = out.filter((o) => o['ScoreCount'] !== undefined);
    expect(scoreLines.reduce((s, o) => s + Number(o['ScoreCount']), 0)).toBe(6);
    expect(scoreLines.every((o) => o._aws.CloudWatchMetrics[0]?.Dimensions[0]?.includes('Score'))).toBe(true);
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
    const emf = new EmfRecorder({ drift });
    const out = captureStdout(() => {
      emf.recordScored(eventOf(x, 0, 100));
      emf.publish();
    });
    expect(out.some((o) => typeof o['DriftPsiMax'] === 'number')).toBe(true);
  });
});
