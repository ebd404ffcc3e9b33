/** Leads scored and lake records written and dropped by a server, from its Prometheus /metrics. */
export interface LakeTotals {
  scored: number;
  written: number;
  dropped: number;
}

/** Sum of the samples of every series whose line starts with `prefix` (a metric name, or a name and `{`). */
function sumSeries(text: string, prefix: string): number {
  return text.split('\n').filter((l) => l.startsWith(prefix)).reduce((a, l) => a + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/**
 * A bench's "observability on" throughput only counts if the lake kept up: waits (up to `waitS` seconds)
 * for the server's lake queue to drain, then reads its totals. Null when the server exports no lake metrics.
 */
export async function lakeTotals(url: string, waitS = 30): Promise<LakeTotals | null> {
  for (let i = 0; ; i++) {
    const res = await fetch(`${url}/metrics`);
    const text = res.status === 200 ? await res.text() : '';
    if (!text.includes('lead_scoring_lake_records_written_total')) return null;
    if (sumSeries(text, 'lead_scoring_lake_queue_depth') === 0 || i >= waitS) {
      return {
        scored: sumSeries(text, 'lead_scoring_scores_total{'),
        written: sumSeries(text, 'lead_scoring_lake_records_written_total'),
        dropped: sumSeries(text, 'lead_scoring_lake_records_dropped_total'),
      };
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Every scored lead written, none dropped. */
export const lakeComplete = (t: LakeTotals | null): boolean => t !== null && t.scored > 0 && t.written === t.scored && t.dropped === 0;

/**
 * Waits (up to `waitS` seconds) until the server's lake queue is empty, so the lake work a run left behind
 * is done before the next measurement; returns false when the server exports no lake metrics.
 */
export async function waitForLakeDrain(url: string, waitS = 30): Promise<boolean> {
  return (await lakeTotals(url, waitS)) !== null;
}
