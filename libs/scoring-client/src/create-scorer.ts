import type { ModelBundle } from '@lead-scoring/model-bundle';
import { InProcessScorer } from './inprocess-scorer';
import { SageMakerScorer, type ScorerOutcome } from './sagemaker-scorer';
import type { Scorer } from './scorer';
import { readScorerConfig } from './scorer-config';

export interface CreateScorerOptions {
  /** The model bundle: the in-process model, and the manifest that maps predictions to scores in both modes. */
  bundle: ModelBundle;
  /** Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Called once per outcome of a SageMaker call, so observability can count them. */
  onOutcome?: (outcome: ScorerOutcome) => void;
}

/**
 * Builds the scorer the environment asks for: `SCORER=inprocess` (default) or `SCORER=sagemaker`
 * (needs `SAGEMAKER_ENDPOINT_NAME` and `AWS_REGION`; `SAGEMAKER_ENDPOINT_URL` for a local model server;
 * `SCORER_FALLBACK=inprocess` to answer from the bundle's model, `degraded: true`, when the endpoint fails).
 * Throws a `ScoringConfigError` naming the variable at fault.
 *
 * @example
 * const scorer = createScorerFromEnv({ bundle: await loadBundle(DEMO_BUNDLE_DIR) });
 * const { results } = await scorer.score({ x, nRows: 1 });
 */
export function createScorerFromEnv(opts: CreateScorerOptions): Scorer {
  const cfg = readScorerConfig(opts.env ?? process.env);
  const inprocess = new InProcessScorer(opts.bundle);
  if (cfg.scorer === 'inprocess' || !cfg.sagemaker) return inprocess;
  return new SageMakerScorer({
    bundle: opts.bundle,
    ...cfg.sagemaker,
    local: inprocess,
    fallback: cfg.fallback === 'inprocess',
    ...(opts.onOutcome ? { onOutcome: opts.onOutcome } : {}),
  });
}
