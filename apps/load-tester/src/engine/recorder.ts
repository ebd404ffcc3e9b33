import { createHistogram, recordMs, type LatencyHistogram } from '../histogram';
import { TRANSPORT_ERRORS, type Outcome } from './outcome';

/** Counts for one interval (or a whole run), merged by adding field by field. */
export interface Counters {
  sent: number;
  completed: number;
  ok: number;
  errors: number;
  /** Deliberately invalid requests answered with the expected 4xx: not errors. */
  expectedRejections: number;
  /** Requests sent later than the late threshold after their due time. */
  late: number;
  maxLagMs: number;
  /** When the last request left, ms after the start (the send window's true end). */
  lastSentMs: number;
  statusCounts: Record<string, number>;
  errorKinds: Record<string, number>;
}

/** One interval's measurements: latency from the due time, and service time from the actual send. */
export interface Interval {
  second: number;
  counters: Counters;
  latency: LatencyHistogram;
  service: LatencyHistogram;
}

/** An empty {@link Counters}. */
export function emptyCounters(): Counters {
  return {
    sent: 0,
    completed: 0,
    ok: 0,
    errors: 0,
    expectedRejections: 0,
    late: 0,
    maxLagMs: 0,
    lastSentMs: 0,
    statusCounts: {},
    errorKinds: {},
  };
}

/** Adds `from` into `into`. */
export function addCounters(into: Counters, from: Counters): void {
  into.sent += from.sent;
  into.completed += from.completed;
  into.ok += from.ok;
  into.errors += from.errors;
  into.expectedRejections += from.expectedRejections;
  into.late += from.late;
  into.maxLagMs = Math.max(into.maxLagMs, from.maxLagMs);
  into.lastSentMs = Math.max(into.lastSentMs, from.lastSentMs);
  for (const [k, v] of Object.entries(from.statusCounts)) into.statusCounts[k] = (into.statusCounts[k] ?? 0) + v;
  for (const [k, v] of Object.entries(from.errorKinds)) into.errorKinds[k] = (into.errorKinds[k] ?? 0) + v;
}

/** A new empty interval. */
export function emptyInterval(second: number): Interval {
  return { second, counters: emptyCounters(), latency: createHistogram(), service: createHistogram() };
}

/**
 * Classifies and records request events into the current one-second interval of one thread.
 * Valid requests: 2xx is ok, anything else an error. Invalid ones: a 4xx is the expected
 * rejection, anything else an error. Timeouts are errors whose latency is still recorded,
 * so a stall cannot vanish from the percentiles.
 */
export class Recorder {
  private current: Interval = emptyInterval(0);
  private readonly lateThresholdMs: number;

  constructor(opts: { lateThresholdMs: number }) {
    this.lateThresholdMs = opts.lateThresholdMs;
  }

  /** A request left at `atMs` (after the start), `lagMs` after its due time (0 in the closed model). */
  sent(atMs: number, lagMs: number): void {
    const c = this.current.counters;
    c.sent += 1;
    c.lastSentMs = atMs;
    if (lagMs > this.lateThresholdMs) c.late += 1;
    if (lagMs > c.maxLagMs) c.maxLagMs = lagMs;
  }

  /** A request finished: `latencyMs` from its due time, `serviceMs` from when it actually left. */
  completed(outcome: Outcome, invalid: boolean, latencyMs: number, serviceMs: number): void {
    const c = this.current.counters;
    c.completed += 1;
    if ('error' in outcome) {
      c.errors += 1;
      c.errorKinds[outcome.error] = (c.errorKinds[outcome.error] ?? 0) + 1;
      if (outcome.error === TRANSPORT_ERRORS.TIMEOUT && !invalid) this.record(latencyMs, serviceMs);
      return;
    }
    const status = outcome.status;
    c.statusCounts[status] = (c.statusCounts[status] ?? 0) + 1;
    if (invalid) {
      if (status >= 400 && status < 500) c.expectedRejections += 1;
      else this.error(status < 400 ? 'invalid_accepted' : `http_${status}`);
      return;
    }
    this.record(latencyMs, serviceMs);
    if (status >= 200 && status < 300) c.ok += 1;
    else this.error(`http_${status}`);
  }

  /** Closes the current interval and starts the next one. */
  cut(nextSecond: number): Interval {
    const done = this.current;
    this.current = emptyInterval(nextSecond);
    return done;
  }

  private record(latencyMs: number, serviceMs: number): void {
    recordMs(this.current.latency, latencyMs);
    recordMs(this.current.service, serviceMs);
  }

  private error(kind: string): void {
    const c = this.current.counters;
    c.errors += 1;
    c.errorKinds[kind] = (c.errorKinds[kind] ?? 0) + 1;
  }
}
