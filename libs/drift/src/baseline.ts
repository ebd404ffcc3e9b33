import { z } from 'zod';
import { DriftError } from './errors';

const ascending = (a: readonly number[]): boolean => a.every((v, i) => i === 0 || v >= a[i - 1]!);

/**
 * Training distribution of one feature. `proportions` are over the non-missing values and sum to ~1.
 * `edges` either bound every bin (`proportions.length + 1` values: outer edges are the training min/max,
 * values beyond them fall in the end bins) or are the interior cut points only (`proportions.length - 1`,
 * the bundle's form). Bins are right-closed: v falls in bin i when cuts[i-1] < v <= cuts[i].
 */
export const FeatureBaselineSchema = z
  .object({
    edges: z.array(z.number()),
    proportions: z.array(z.number().min(0)).min(1),
    missing_rate: z.number().min(0).max(1),
  })
  .refine((f) => f.edges.length === f.proportions.length + 1 || f.edges.length === f.proportions.length - 1, {
    message: 'edges must have proportions.length + 1 (bounds) or proportions.length - 1 (cut points) values',
  })
  .refine((f) => ascending(f.edges), { message: 'edges must be ascending' });

/** The manifest's `baseline`: per-feature distributions and the score distribution (scores 1..5). */
export const DriftBaselineSchema = z.object({
  sample_size: z.number().int().nonnegative().optional(),
  features: z.record(z.string(), FeatureBaselineSchema),
  scores: z.object({ proportions: z.array(z.number().min(0)).length(5) }),
});

export type FeatureBaseline = z.infer<typeof FeatureBaselineSchema>;
export type DriftBaseline = z.infer<typeof DriftBaselineSchema>;

/**
 * Validates a manifest's `baseline` (pass the whole manifest or just its `baseline`).
 * Throws `DriftError` DRIFT_BASELINE_INVALID naming the first bad path.
 *
 * @example
 * const baseline = parseBaseline(JSON.parse(await readFile('models/demo/manifest.json', 'utf8')));
 */
export function parseBaseline(manifestOrBaseline: unknown): DriftBaseline {
  const candidate =
    typeof manifestOrBaseline === 'object' && manifestOrBaseline !== null && 'baseline' in manifestOrBaseline
      ? (manifestOrBaseline as { baseline: unknown }).baseline
      : manifestOrBaseline;
  const parsed = DriftBaselineSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `baseline.${issue.path.join('.')}: ${issue.message}` : 'baseline is invalid';
    throw new DriftError('DRIFT_BASELINE_INVALID', where);
  }
  return parsed.data;
}
