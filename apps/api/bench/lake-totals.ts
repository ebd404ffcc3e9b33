/** Leads scored and recorded by a server, from its Prometheus /metrics. */
export interface LakeTotals {
  scored: number;
  /** Leads written to the lake's spool before their answer. */
  written: number;
  /** Leads scored but not recorded (only with LAKE_REQUIRED=off). */
  dropped: number;
}

/** Sum of the samples of every series whose line starts with `prefix` (a metric name, or a name and `{`). */
export function sumSeries(text: string, prefix: string): number {
  return text.split('\n').filter((l) => l.startsWith(prefix)).reduce((a, l) => a + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/**
 * A bench's "observability on" throughput only counts if every scored lead was recorded: the spool is written
 * before each answer, so the totals are final as soon as the load stops. Null when the server exports no lake metrics.
 */
export async function lakeTotals(url: string): Promise<LakeTotals | null> {
  const res = await fetch(`${url}/metrics`);
  const text = res.status === 200 ? await res.text() : '';
  if (!text.includes('lead_scoring_lake_spooled_leads_total')) return null;
  return {
    scored: sumSeries(text, 'lead_scoring_scores_total{'),
    written: sumSeries(text, 'lead_scoring_lake_spooled_leads_total'),
    dropped: sumSeries(text, 'lead_scoring_lake_unrecorded_leads_total'),
  };
}

/** Every scored lead recorded, none left out. */
export const lakeComplete = (t: LakeTotals | null): boolean => t !== null && t.scored > 0 && t.written === t.scored && t.dropped === 0;

/**
 * True when the server has a lake (its /metrics exports the spool). Nothing is left to wait for: the request path
 * spools synchronously, and the keeper publishes on its own schedule (LAKE_PUBLISH_MS), which these A/B rounds do not
 * charge to any round; `apps/api/bench/lake-cost.ts` prices that work.
 */
export async function waitForLakeDrain(url: string): Promise<boolean> {
  return (await lakeTotals(url)) !== null;
}
