import type { ObsLogger, ScoredEvent, ShadowOutcome } from '@lead-scoring/metrics';
import { startLakeKeeper, type LakeKeeperHandle } from './keeper-host';
import { lakeUsage, type LakeUsage } from './lake-usage';
import { SpoolWriter, type SpoolStats } from './spool-writer';

/** Options of {@link openLocalLake}. */
export interface LocalLakeOptions {
  /** LAKE_DIR. */
  readonly dir: string;
  readonly featureNames: readonly string[];
  /** LAKE_SYNC and LAKE_SYNC_MS. */
  readonly sync: 'always' | 'interval';
  readonly syncMs: number;
  /** LAKE_REQUIRED: when false, a lead that cannot be recorded is scored anyway, logged and counted. */
  readonly required: boolean;
  /** This process's writer id `<run>-<n>`. */
  readonly run: string;
  readonly worker: number;
  /** Run the lake keeper in this process (a single server); a cluster's primary runs it otherwise. */
  readonly keeper: boolean;
  /** LAKE_PUBLISH_MS and LAKE_RETENTION_DAYS, for the keeper. */
  readonly publishMs: number;
  readonly retentionDays: number;
  readonly logger: ObsLogger;
}

/** What /metrics reads from the local lake. */
export interface LocalLakeStats extends SpoolStats {
  /** Leads scored but not recorded (LAKE_REQUIRED=off only). */
  readonly unrecorded: number;
  /** True while the spool cannot be written. */
  readonly unavailable: boolean;
}

/** The local server's lake: its spool, and the keeper when this process owns the folder. */
export interface LocalLake {
  /**
   * The score API's `record` hook: durably spools a request's leads before its answer leaves. With `info.shadow`,
   * the request's segment waits (briefly) for the shadow result, spooled beside it by `recordShadow`.
   */
  record(e: ScoredEvent, info?: { readonly shadow: boolean }): void | Promise<void>;
  /** The shadow model's result for a recorded request, spooled beside it (never throws; see SpoolWriter.appendShadow). */
  recordShadow(e: ScoredEvent, outcome: ShadowOutcome): void;
  /** No shadow result will come for a recorded request. */
  shadowSkipped(e: ScoredEvent): void;
  /** The score API's `unavailable` hook: why /ready fails, while leads cannot be recorded. */
  unavailable(): string | undefined;
  stats(): LocalLakeStats;
  /** Bytes, oldest partition and spool depth of the folder (walked at most every 5 s). */
  usage(): Promise<LakeUsage>;
  /** Seals the spool; with its own keeper, publishes what it holds. */
  close(): Promise<void>;
}

/**
 * Opens the lake of a local server process. With `required` (LAKE_REQUIRED=on, the default) a lead that cannot be
 * spooled makes its request fail (503) and /ready fail until the spool recovers; with `required: false` it is scored
 * anyway and counted as unrecorded, with an error logged (at most once a second, with the count).
 *
 * @example
 * const lake = openLocalLake({ dir, featureNames, sync: 'interval', syncMs: 20, required: true, run, worker: 0, keeper: true, publishMs: 300000, retentionDays: 30, logger });
 * createScoreApi({ ..., record: (e) => lake.record(e), unavailable: () => lake.unavailable() });
 */
export function openLocalLake(opts: LocalLakeOptions): LocalLake {
  const { logger } = opts;
  const spool = new SpoolWriter({
    dir: opts.dir,
    writer: `${opts.run}-${opts.worker}`,
    featureNames: opts.featureNames,
    sync: opts.sync,
    syncMs: opts.syncMs,
    logger,
  });
  const keeper: LakeKeeperHandle | null = opts.keeper
    ? startLakeKeeper({
        dir: opts.dir,
        run: opts.run,
        publishMs: opts.publishMs,
        retentionDays: opts.retentionDays,
        logger,
      })
    : null;
  let unrecorded = 0;
  let unlogged = 0;
  let loggedAt = -Infinity;
  const lost = (n: number, err: unknown): void => {
    unrecorded += n;
    unlogged += n;
    const now = Date.now();
    if (now - loggedAt < 1_000) return;
    logger.error(`scored leads NOT recorded in the lake: ${unlogged} (LAKE_REQUIRED=off)`, {
      code: 'LAKE_LEADS_UNRECORDED',
      leads: unlogged,
      total: unrecorded,
      error: err instanceof Error ? err.message : String(err),
    });
    unlogged = 0;
    loggedAt = now;
  };
  if (!opts.required)
    logger.warn('LAKE_REQUIRED=off: leads that cannot be recorded are scored anyway, logged and counted', {
      code: 'LAKE_REQUIRED_OFF',
    });
  let cached: { at: number; usage: Promise<LakeUsage> } | null = null;
  return {
    record(e, info) {
      if (opts.required) return spool.append(e, info);
      try {
        const synced = spool.append(e, info);
        if (synced) return synced.catch((err: unknown) => lost(e.nRows, err));
      } catch (err) {
        lost(e.nRows, err);
      }
    },
    recordShadow: (e, outcome) => void spool.appendShadow(e, outcome),
    shadowSkipped: (e) => spool.shadowSkipped(e),
    unavailable: () => (opts.required ? spool.unavailable() : undefined),
    stats: () => ({ ...spool.stats(), unrecorded, unavailable: spool.unavailable() !== undefined }),
    usage() {
      const now = Date.now();
      if (!cached || now - cached.at >= 5_000) cached = { at: now, usage: lakeUsage(opts.dir) };
      return cached.usage;
    },
    async close() {
      await spool.close();
      if (keeper) {
        await keeper.flush();
        await keeper.close();
      }
    },
  };
}
