import { parseBaseline, type DriftBaseline } from '@lead-scoring/drift';
import { BufferedLakeWriter, type LakeSink } from '@lead-scoring/lake';
import type { ObsLogger } from '@lead-scoring/metrics';
import type { ModelBundle } from '@lead-scoring/model-bundle';
import type { Scorer } from '@lead-scoring/scoring-client';

/** What the observability hooks need to know once the model is loaded. */
export interface ReadyContext {
  bundle: ModelBundle;
  scorer: Scorer;
}

/** The bundle's drift baseline, or null (logged) when it has none usable. */
export function baselineOf(bundle: ModelBundle, logger: ObsLogger): DriftBaseline | null {
  try {
    return parseBaseline(bundle.manifest);
  } catch (err) {
    logger.warn('no usable drift baseline in the manifest; PSI disabled', { error: (err as Error).message });
    return null;
  }
}

/** True while a SageMaker scorer's circuit breaker is open. */
export const circuitOpen = (scorer: Scorer): boolean => (scorer as { circuitState?: string }).circuitState === 'open';

/** The buffered lake writer of a sink, its counters reported to `observer`. */
export function createWriter(
  sink: LakeSink,
  observer: { written(n: number): void; failed(n: number): void; dropped(n: number): void } | undefined,
  opts: {
    bufferRecords: number;
    flushRecords: number;
    flushIntervalMs: number;
    logger: ObsLogger;
    featureWidth: number;
  },
): BufferedLakeWriter {
  return new BufferedLakeWriter({
    sink,
    logger: opts.logger,
    maxBufferRecords: opts.bufferRecords,
    flushRecords: opts.flushRecords,
    flushIntervalMs: opts.flushIntervalMs,
    featureWidth: opts.featureWidth,
    ...(observer ? { observer } : {}),
  });
}
