import { formatReport, median, spread } from '../src/index';

describe('bench kit', () => {
  it('takes the middle value as the median and quotes the range', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(spread([4, 9, 2, 7])).toEqual({ median: 7, min: 2, max: 9 });
  });

  it('prints one row per figure with its target and whether it holds', () => {
    const text = formatReport({
      area: 'evaluator',
      at: '2026-12-07 10:00 UTC',
      machine: '2 × test CPU',
      node: '20.0.0',
      figures: [
        {
          metric: 'M1 rows/s',
          value: 1_500_000,
          unit: 'rows/s',
          target: '>= 1.5x',
          holds: true,
          range: [1_400_000, 1_600_000],
        },
        { metric: 'single-row p50', value: 1.73, unit: 'µs', target: '<= 1.5 µs', holds: false },
        { metric: 'load', value: 12.5, unit: 'ms' },
      ],
    });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('evaluator — 2 × test CPU, Node 20.0.0, 2026-12-07 10:00 UTC');
    expect(lines[3]).toMatch(/^M1 rows\/s\s+\| 1,500,000 rows\/s \(1,400,000–1,600,000\) \| >= 1.5x\s+\| yes$/);
    expect(lines[4]).toMatch(/\| 1.73 µs\s+\| <= 1.5 µs \| NO$/);
    expect(lines[5]).toMatch(/^load\s+\| 12.5 ms\s+\|\s+\|$/);
  });
});
