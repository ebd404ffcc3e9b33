import { decodeHistogram, encodeHistogram, mergeHistogram } from '../histogram';
import { addCounters, emptyInterval, type Counters, type Interval } from './recorder';

/** An interval as posted between threads: histograms in HDR's compressed base64 form. */
export interface WireInterval {
  second: number;
  counters: Counters;
  latency: string;
  service: string;
}

/** Encodes an interval for postMessage. */
export function toWire(interval: Interval): WireInterval {
  return {
    second: interval.second,
    counters: interval.counters,
    latency: encodeHistogram(interval.latency),
    service: encodeHistogram(interval.service),
  };
}

/** Decodes a posted interval. */
export function fromWire(wire: WireInterval): Interval {
  return {
    second: wire.second,
    counters: wire.counters,
    latency: decodeHistogram(wire.latency),
    service: decodeHistogram(wire.service),
  };
}

/**
 * Merges the intervals of all shards into a per-second series and a run total, and reports a
 * second as complete once every shard has delivered it (the live line).
 */
export class Aggregator {
  readonly total: Interval = emptyInterval(-1);
  private readonly seconds = new Map<number, { merged: Interval; shards: number }>();
  private readonly shardCount: number;
  private readonly onSecond: ((interval: Interval) => void) | undefined;

  constructor(opts: { shardCount: number; onSecond?: (interval: Interval) => void }) {
    this.shardCount = opts.shardCount;
    this.onSecond = opts.onSecond;
  }

  /** Adds one shard's interval. */
  add(interval: Interval): void {
    let slot = this.seconds.get(interval.second);
    if (slot === undefined) {
      slot = { merged: emptyInterval(interval.second), shards: 0 };
      this.seconds.set(interval.second, slot);
    }
    merge(slot.merged, interval);
    merge(this.total, interval);
    slot.shards += 1;
    if (slot.shards === this.shardCount) this.onSecond?.(slot.merged);
  }

  /** The per-second series in time order. */
  series(): Interval[] {
    return [...this.seconds.values()].map((s) => s.merged).sort((a, b) => a.second - b.second);
  }
}

function merge(into: Interval, from: Interval): void {
  addCounters(into.counters, from.counters);
  mergeHistogram(into.latency, from.latency);
  mergeHistogram(into.service, from.service);
}
