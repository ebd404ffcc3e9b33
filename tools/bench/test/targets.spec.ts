import { atLeast, atMost, below } from '../src/index';

describe('figures with targets', () => {
  it('holds an upper bound when the value reaches it and not past it', () => {
    expect(atMost({ metric: 'warm p50', value: 1, unit: 'ms' }, 1)).toEqual({
      metric: 'warm p50',
      value: 1,
      unit: 'ms',
      target: '<= 1 ms',
      holds: true,
    });
    expect(atMost({ metric: 'warm p50', value: 1.2, unit: 'ms' }, 1).holds).toBe(false);
  });

  it('holds a strict bound only below it, and writes the limit with thousands separators', () => {
    expect(below({ metric: 'p99', value: 999, unit: 'ms' }, 1000)).toMatchObject({ target: '< 1,000 ms', holds: true });
    expect(below({ metric: 'p99', value: 1000, unit: 'ms' }, 1000).holds).toBe(false);
  });

  it('holds a lower bound at or above it and keeps the range of the rounds', () => {
    const f = atLeast({ metric: 'req/s', value: 4_600, unit: 'req/s', range: [4_400, 4_900] }, 4_500);
    expect(f).toEqual({
      metric: 'req/s',
      value: 4_600,
      unit: 'req/s',
      range: [4_400, 4_900],
      target: '>= 4,500 req/s',
      holds: true,
    });
    expect(atLeast({ metric: 'req/s', value: 4_499, unit: 'req/s' }, 4_500).holds).toBe(false);
  });
});
