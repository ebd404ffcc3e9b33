import { createFeatureContract, featureSpecsFromJson } from '@lead-scoring/feature-schema';
import { createMetrics, type LeadScoringMetrics, type ScoredEvent } from '@lead-scoring/metrics';
import { shadowColumns } from '@lead-scoring/score-api';
import { toLeadScores, type LeadScore } from '@lead-scoring/scoring-client';
import type { LoadedModel } from './model-loader';
import { ModelHolder, type Logger } from './model-holder';

/** Requests waiting for the shadow model at most; more are skipped and counted (`queue_full`). */
const MAX_QUEUE = 256;

/**
 * The model server's metrics when a shadow model is configured: the usual series (no per-lead scoring series) plus
 * the shadow's agreement matrix, probability difference and skipped leads.
 *
 * @example
 * const metrics = createShadowAwareMetrics(cfg);
 */
export function createShadowAwareMetrics(opts: { processMetrics?: boolean } = {}): LeadScoringMetrics {
  return createMetrics({ featureNames: [], scoring: false, shadow: true, processMetrics: opts.processMetrics ?? true });
}

/**
 * Scores each answered invocation again with the model in SHADOW_MODEL_DIR (hot-reloaded like SM_MODEL_DIR), after
 * the response is sent (`observe` runs from the metrics hook, which the server calls once the body is handed to the
 * socket; the work itself waits for the next event-loop turn). Both models' predictions are mapped to 1..5 scores by
 * their manifests, and the comparison goes to the metrics: the model server has no lake. A shadow model without a
 * manifest, or whose features differ from production's, is not run (logged once per model). When behind, requests are
 * skipped and counted.
 *
 * @example
 * const shadow = startModelServerShadow({ dir: cfg.shadowModelDir, reloadIntervalMs: 1000, log, metrics });
 */
export function startModelServerShadow(opts: {
  dir: string;
  reloadIntervalMs: number;
  log: Logger;
  metrics: LeadScoringMetrics;
}): {
  observe(e: ScoredEvent & { model: LoadedModel }): void;
  holder: ModelHolder;
  stop(): void;
} {
  const holder = new ModelHolder({
    dir: opts.dir,
    reloadIntervalMs: opts.reloadIntervalMs,
    log: (level, message, fields) => opts.log(level, `shadow: ${message}`, fields),
  });
  void holder.check();
  holder.start();
  const refused = new Set<string>();
  const queue: (ScoredEvent & { model: LoadedModel })[] = [];
  let running = false;
  const refuse = (shadow: LoadedModel, why: string): void => {
    if (refused.has(shadow.contentHash)) return;
    refused.add(shadow.contentHash);
    opts.log('error', 'shadow model not run', {
      code: 'SHADOW_CONTRACT_MISMATCH',
      version: shadow.version,
      error: why,
    });
  };
  const scoreOne = (e: ScoredEvent & { model: LoadedModel }): void => {
    const shadow = holder.current;
    const production = e.model;
    if (!shadow || !shadow.manifest || !production.manifest) {
      if (shadow) refuse(shadow, 'production and shadow both need a manifest (score mapping) to be compared');
      opts.metrics.recordShadowSkipped('error', e.nRows);
      return;
    }
    try {
      const columns = shadowColumns(contractOf(production), contractOf(shadow));
      if (columns !== null) throw new Error("the shadow model must read production's features in the same order");
    } catch (err) {
      refuse(shadow, (err as Error).message);
      opts.metrics.recordShadowSkipped('error', e.nRows);
      return;
    }
    const t0 = performance.now();
    const results = scores(shadow, e.x, e.nRows);
    const modelMs = performance.now() - t0;
    opts.metrics.recordShadow(
      { ...e, results: scores(production, e.x, e.nRows) },
      { model: { name: shadow.name, version: shadow.version }, results, modelMs },
    );
  };
  const drain = (): void => {
    const e = queue.shift();
    if (!e) {
      running = false;
      return;
    }
    try {
      scoreOne(e);
    } catch (err) {
      opts.metrics.recordShadowSkipped('error', e.nRows);
      opts.log('error', 'shadow scoring failed', { code: 'SHADOW_FAILED', error: (err as Error).message });
    }
    setImmediate(drain);
  };
  return {
    holder,
    observe(e) {
      if (!holder.current) return;
      if (queue.length >= MAX_QUEUE) {
        opts.metrics.recordShadowSkipped('queue_full', e.nRows);
        return;
      }
      queue.push(e);
      if (!running) {
        running = true;
        setImmediate(drain);
      }
    },
    stop: () => holder.stop(),
  };
}

const contracts = new WeakMap<LoadedModel, ReturnType<typeof createFeatureContract>>();
function contractOf(m: LoadedModel): ReturnType<typeof createFeatureContract> {
  let c = contracts.get(m);
  if (!c) contracts.set(m, (c = createFeatureContract(featureSpecsFromJson(m.manifest!.features))));
  return c;
}

function scores(m: LoadedModel, x: Float32Array, nRows: number): LeadScore[] {
  const predictions = m.model.predictBatch(x, nRows);
  return toLeadScores({
    manifest: m.manifest!,
    objective: m.model.objective,
    predictions,
    nRows,
    width: m.model.predictionWidth,
  });
}
