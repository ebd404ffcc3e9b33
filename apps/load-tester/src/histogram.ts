import * as hdr from 'hdr-histogram-js';

/** A latency histogram recording whole microseconds. */
export type LatencyHistogram = hdr.Histogram;

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** One hour in µs: anything slower is clamped (a request that slow has long since timed out). */
const HIGHEST_US = 3_600_000_000;

/**
 * A new histogram: 1 µs .. 1 h at 3 significant digits. The pure-JS build: recording costs
 * ~25 ns either way here (see bench/histogram.ts), and the WASM build needs async init and
 * explicit destroy() in every worker for no gain.
 *
 * @example
 * const h = createHistogram(); recordMs(h, 20.4); summarize(h).p50; // ≈ 20.4
 */
export function createHistogram(): LatencyHistogram {
  return hdr.build({
    useWebAssembly: false,
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
  });
}

/** Records a latency given in (fractional) milliseconds. */
export function recordMs(h: LatencyHistogram, ms: number): void {
  h.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000))));
}

/** Compressed base64 form of a histogram, for posting between worker threads. */
export function encodeHistogram(h: LatencyHistogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** Inverse of {@link encodeHistogram}. */
export function decodeHistogram(encoded: string): LatencyHistogram {
  return hdr.decodeFromCompressedBase64(encoded, 32, false);
}

/** Adds every recorded value of `from` into `into` (HDR merging is exact at the histogram's resolution). */
export function mergeHistogram(into: LatencyHistogram, from: LatencyHistogram): void {
  if (from.totalCount > 0) into.add(from);
}

/** Percentiles in ms; all zeros for an empty histogram. */
export function summarize(h: LatencyHistogram): LatencySummary {
  if (h.totalCount === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  const ms = (us: number): number => Math.round(us) / 1000;
  return {
    count: h.totalCount,
    min: ms(h.minNonZeroValue),
    mean: Math.round(h.mean) / 1000,
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    // The bucket's highest equivalent value, like every percentile: exact maxima do not survive encode/merge.
    max: ms(h.getValueAtPercentile(100)),
  };
}
