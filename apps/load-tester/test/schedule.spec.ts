import { OpenSchedule } from '../src/engine/schedule';
import { constantProfile, levelAt, parseStages, profileDurationMs } from '../src/stages';
import { LoadTestError } from '../src/errors';

function drain(schedule: OpenSchedule): number[] {
  const times: number[] = [];
  for (let t = schedule.next(); t !== undefined; t = schedule.next()) times.push(t);
  return times;
}

describe('open-model schedule', () => {
  it('sends a constant 300 req/s exactly every 3.33 ms, 900 requests in 3 s', () => {
    const times = drain(new OpenSchedule(constantProfile({ level: 300, durationMs: 3000 })));

    expect(times).toHaveLength(900);
    expect(times[0]).toBe(0);
    times.forEach((t, k) => expect(t).toBeCloseTo((k * 1000) / 300, 9));
    expect(times[times.length - 1]).toBeLessThan(3000);
  });

  it('ramps linearly: the count in each second follows the rising rate', () => {
    const times = drain(new OpenSchedule(parseStages('10s:100')));

    expect(times).toHaveLength(500);
    const perSecond = Array.from(
      { length: 10 },
      (_, s) => times.filter((t) => t >= s * 1000 && t < (s + 1) * 1000).length,
    );
    perSecond.forEach((n, s) => expect(Math.abs(n - (s * 10 + 5))).toBeLessThanOrEqual(1));
    expect(times.every((t, i) => i === 0 || t > (times[i - 1] ?? 0))).toBe(true);
  });

  it('follows a multi-stage profile: up, hold, down', () => {
    const segments = parseStages('2s:100,3s:100,2s:0');
    const times = drain(new OpenSchedule(segments));

    expect(times).toHaveLength(100 + 300 + 100);
    expect(times.filter((t) => t >= 2000 && t < 5000)).toHaveLength(300);
    expect(times[times.length - 1]).toBeLessThan(profileDurationMs(segments));
  });

  it('splits across shards so that together they send exactly the single schedule', () => {
    const segments = parseStages('1s:200,1s:50');
    const single = drain(new OpenSchedule(segments));
    const shards = [0, 1, 2].map((index) => drain(new OpenSchedule(segments, { index, count: 3 })));

    const merged = shards.flat().sort((a, b) => a - b);
    expect(merged).toEqual(single);
    expect(shards.map((s) => s.length).reduce((a, b) => a + b)).toBe(single.length);
  });

  it('skips a zero-rate stage without sending anything in it', () => {
    const times = drain(
      new OpenSchedule([
        { durationMs: 1000, from: 0, to: 0 },
        { durationMs: 1000, from: 10, to: 10 },
      ]),
    );

    expect(times).toHaveLength(10);
    expect(times[0]).toBe(1000);
  });
});

describe('stages', () => {
  it('parses "10s:100,30s:300,10s:0" into linear segments starting from 0', () => {
    expect(parseStages('10s:100,30s:300,10s:0')).toEqual([
      { durationMs: 10_000, from: 0, to: 100 },
      { durationMs: 30_000, from: 100, to: 300 },
      { durationMs: 10_000, from: 300, to: 0 },
    ]);
  });

  it('builds ramp up, hold and ramp down from --ramp', () => {
    const segments = constantProfile({ level: 50, durationMs: 60_000, rampMs: 30_000 });

    expect(profileDurationMs(segments)).toBe(120_000);
    expect(levelAt(segments, 15_000)).toBe(25);
    expect(levelAt(segments, 60_000)).toBe(50);
    expect(levelAt(segments, 105_000)).toBe(25);
    expect(levelAt(segments, 200_000)).toBe(0);
  });

  it.each(['', '10s', '10s:', 'ten:100', '10s:-5', '10s:100:3'])(
    'rejects the stage list "%s" as a usage error',
    (text) => {
      expect(() => parseStages(text)).toThrow(LoadTestError);
    },
  );
});
