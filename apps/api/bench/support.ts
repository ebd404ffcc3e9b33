/** What the API benches share: request bodies of the demo model's leads and totals read from /metrics. */
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';

/** A POST /score body of `n` unnamed rows (the seed's form), the same rows in every bench. */
export function rowsBody(n: number): string {
  const specs = demoFeatures();
  return JSON.stringify(Array.from({ length: n }, (_, i) => sampleLead(specs, mulberry32(i + 1))));
}

/** A generator of bodies of `n` random leads, no two alike (so compression downstream cannot feed on repeats). */
export function randomBodies(n: number, seed: number): () => string {
  const specs = demoFeatures();
  const rng = mulberry32(seed);
  return () => JSON.stringify(Array.from({ length: n }, () => sampleLead(specs, rng)));
}

/** Sum of the samples of every series of a Prometheus text whose line starts with `prefix` (a name, or a name and `{`). */
export function sumSeries(text: string, prefix: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** Leads the server scored and leads its lake spool recorded, from its /metrics (summed over workers). */
export async function lakeTotals(
  url: string,
): Promise<{ scored: number; spooled: number; unrecorded: number; spoolSeconds: number }> {
  const res = await fetch(`${url}/metrics`);
  if (res.status !== 200) throw new Error(`${url}/metrics answered ${res.status}`);
  const text = await res.text();
  return {
    scored: sumSeries(text, 'lead_scoring_scores_total{'),
    spooled: sumSeries(text, 'lead_scoring_lake_spooled_leads_total'),
    unrecorded: sumSeries(text, 'lead_scoring_lake_unrecorded_leads_total'),
    spoolSeconds: sumSeries(text, 'lead_scoring_lake_spool_write_seconds_total'),
  };
}
