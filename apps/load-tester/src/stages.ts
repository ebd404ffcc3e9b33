import { parseDuration } from './duration';
import { LoadTestError } from './errors';

/** A stretch of the run over which the target (req/s or users) moves linearly from `from` to `to`. */
export interface Segment {
  durationMs: number;
  from: number;
  to: number;
}

/**
 * Parses `--stages "10s:100,30s:300,10s:0"`: each stage moves linearly from the previous target
 * (0 before the first) to its own over its duration, like k6's ramping executors.
 *
 * @example
 * parseStages('10s:100,30s:100'); // [{durationMs:10000,from:0,to:100},{durationMs:30000,from:100,to:100}]
 */
export function parseStages(text: string): Segment[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0)
    throw new LoadTestError('INVALID_STAGES', '--stages: give at least one "duration:target" stage');
  let previous = 0;
  return parts.map((part) => {
    const [duration, target, extra] = part.split(':');
    const to = Number(target);
    if (
      duration === undefined ||
      target === undefined ||
      extra !== undefined ||
      target.trim() === '' ||
      !Number.isFinite(to) ||
      to < 0
    ) {
      throw new LoadTestError('INVALID_STAGES', `--stages: "${part}" is not "duration:target" (e.g. 30s:300)`);
    }
    const segment = { durationMs: parseDuration(duration, '--stages'), from: previous, to };
    previous = to;
    return segment;
  });
}

/**
 * The load profile from the simple flags: a constant level for `durationMs`, or with `rampMs`
 * a ramp up from 0, a hold for `durationMs`, and a ramp back down to 0.
 */
export function constantProfile(opts: { level: number; durationMs: number; rampMs?: number }): Segment[] {
  const hold = { durationMs: opts.durationMs, from: opts.level, to: opts.level };
  if (opts.rampMs === undefined || opts.rampMs === 0) return [hold];
  return [
    { durationMs: opts.rampMs, from: 0, to: opts.level },
    hold,
    { durationMs: opts.rampMs, from: opts.level, to: 0 },
  ];
}

/** Total length of a profile in ms. */
export function profileDurationMs(segments: readonly Segment[]): number {
  return segments.reduce((sum, s) => sum + s.durationMs, 0);
}

/** Highest level a profile reaches (sizes connection pools). */
export function profilePeak(segments: readonly Segment[]): number {
  return segments.reduce((peak, s) => Math.max(peak, s.from, s.to), 0);
}

/** The profile's level at `tMs` after the start (0 after the end). */
export function levelAt(segments: readonly Segment[], tMs: number): number {
  let start = 0;
  for (const s of segments) {
    if (tMs < start + s.durationMs) return s.from + ((s.to - s.from) * (tMs - start)) / s.durationMs;
    start += s.durationMs;
  }
  return 0;
}
