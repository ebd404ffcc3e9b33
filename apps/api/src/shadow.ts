import type { S3Client } from '@aws-sdk/client-s3';
import type { ObsLogger } from '@lead-scoring/metrics';
import type { ModelBundle } from '@lead-scoring/model-bundle';
import { ShadowRunner, shadowColumns, type ShadowModel } from '@lead-scoring/score-api';
import { InProcessScorer } from '@lead-scoring/scoring-client';
import type { BundleSource, ShadowConfig } from './config';
import type { ApiHooks } from './hooks';
import { loadModelBundle } from './model-source';

/** A loaded shadow model: its bundle and its in-process scorer, warmed. */
export interface LoadedShadow extends ShadowModel {
  readonly bundle: ModelBundle;
}

/**
 * Loads the shadow bundle as MODEL_DIR / MODEL_S3_URI load production's, checks that it can score production's
 * requests (ShadowError SHADOW_CONTRACT_MISMATCH otherwise), and warms its in-process scorer on its reference rows,
 * so the first shadowed request does not pay the JIT.
 *
 * @example
 * const shadow = await loadShadow(cfg.shadow.source, production);
 */
export async function loadShadow(
  source: BundleSource,
  production: ModelBundle,
  opts: { s3?: S3Client } = {},
): Promise<LoadedShadow> {
  const bundle = await loadModelBundle(source, opts);
  shadowColumns(production.contract, bundle.contract);
  const scorer = new InProcessScorer(bundle);
  warm(scorer, bundle);
  return { bundle, scorer, contract: bundle.contract };
}

/**
 * The shadow runner of one process: the shadow model's results and skips go to the hooks (`onShadow`,
 * `onShadowSkipped`: metrics, lake), its failures to the log (at most one line a minute per kind).
 *
 * @example
 * const runner = createShadowRunner(cfg.shadow, { production: bundle, shadow, hooks, logger });
 */
export function createShadowRunner(
  cfg: ShadowConfig,
  opts: { production: ModelBundle; shadow: LoadedShadow | null; hooks: ApiHooks; logger: ObsLogger },
): ShadowRunner {
  const { hooks, logger } = opts;
  let loggedAt = -Infinity;
  let unlogged = 0;
  return new ShadowRunner({
    production: opts.production.contract,
    shadow: opts.shadow,
    maxQueueLeads: cfg.queueLeads,
    maxLagMs: cfg.maxLagMs,
    timeoutMs: cfg.timeoutMs,
    onResult: (e, r) => hooks.onShadow?.(e, r),
    onSkip: (e, reason) => hooks.onShadowSkipped?.(e, reason),
    onError: (err) => {
      unlogged++;
      const now = Date.now();
      if (now - loggedAt < 60_000) return;
      logger.error('shadow model failed; its leads are counted as skipped, answers are unaffected', {
        code: 'SHADOW_FAILED',
        failures: unlogged,
        error: err instanceof Error ? err.message : String(err),
      });
      loggedAt = now;
      unlogged = 0;
    },
  });
}

/** Scores the bundle's reference rows (or one all-missing row) for about `budgetMs`. */
function warm(scorer: InProcessScorer, bundle: ModelBundle, budgetMs = 150): void {
  const size = bundle.contract.size;
  const rows = bundle.manifest.reference?.rows.slice(0, 10) ?? [bundle.contract.names.map(() => null)];
  const x = new Float32Array(rows.length * size).fill(NaN);
  rows.forEach((row, r) => row.forEach((v, j) => (x[r * size + j] = v ?? NaN)));
  const deadline = performance.now() + budgetMs;
  while (performance.now() < deadline) scorer.scoreSync({ x, nRows: rows.length });
}
