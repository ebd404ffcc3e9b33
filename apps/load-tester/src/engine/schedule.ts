import type { Segment } from '../stages';

/**
 * The open model's fixed send schedule: request k is due when the integral of the rate profile
 * reaches k, so a constant 300 req/s sends at 0, 3.33, 6.67 ms… whatever the server does.
 * Worker threads share one schedule and take every `shardCount`-th request, so together they
 * send exactly the single-process schedule.
 *
 * @example
 * const s = new OpenSchedule([{ durationMs: 1000, from: 4, to: 4 }]);
 * [s.next(), s.next(), s.next(), s.next(), s.next()]; // [0, 250, 500, 750, undefined]
 */
export class OpenSchedule {
  private readonly segments: readonly Segment[];
  private readonly shardCount: number;
  private k: number;
  private segmentIndex = 0;
  private segmentStartMs = 0;
  private countBeforeSegment = 0;

  constructor(segments: readonly Segment[], shard: { index: number; count: number } = { index: 0, count: 1 }) {
    this.segments = segments;
    this.shardCount = shard.count;
    this.k = shard.index;
  }

  /** Index of the request the next call to {@link next} returns. */
  get nextIndex(): number {
    return this.k;
  }

  /** Due time (ms after the start) of the next request of this shard, or `undefined` when the run is over. */
  next(): number | undefined {
    for (;;) {
      const segment = this.segments[this.segmentIndex];
      if (segment === undefined) return undefined;
      const seconds = segment.durationMs / 1000;
      const inSegment = ((segment.from + segment.to) / 2) * seconds;
      const m = this.k - this.countBeforeSegment;
      // Half-open [start, end): the float tolerance keeps 300 req/s × 3 s at 900 requests, not 901.
      if (m < inSegment - 1e-9) {
        const t = this.segmentStartMs + solveOffsetSeconds(segment, seconds, m) * 1000;
        this.k += this.shardCount;
        return t;
      }
      this.countBeforeSegment += inSegment;
      this.segmentStartMs += segment.durationMs;
      this.segmentIndex += 1;
    }
  }
}

/** Seconds τ into a segment where r0·τ + (r1−r0)·τ²/(2D) = m; the rationalised root stays stable when r1 = r0 or r0 = 0. */
function solveOffsetSeconds(segment: Segment, seconds: number, m: number): number {
  if (m <= 0) return 0;
  const a = (segment.to - segment.from) / (2 * seconds);
  const b = segment.from;
  return (2 * m) / (b + Math.sqrt(b * b + 4 * a * m));
}
