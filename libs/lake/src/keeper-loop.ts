import type { ObsLogger } from '@lead-scoring/metrics';
import { LakeKeeper, type LakeKeeperOptions } from './lake-keeper';

/** What a keeper runs with, wherever it runs (its own thread, or the caller's in tests). */
export interface KeeperConfig extends Omit<LakeKeeperOptions, 'logger' | 'now'> {
  /** How often the keeper looks at the spool, ms (default 1,000). */
  readonly cycleMs?: number;
}

/**
 * Runs a {@link LakeKeeper}: recovery first, then one cycle every `cycleMs`, never two at once; a failed cycle is
 * logged and the next one tries again (segments stay in the spool until they are in a lake file).
 */
export class KeeperLoop {
  private readonly keeper: LakeKeeper;
  private chain: Promise<void>;
  private readonly timer: ReturnType<typeof setInterval>;
  private running = false;
  private recovered = false;
  private lastLog = { message: '', at: -Infinity };

  constructor(
    cfg: KeeperConfig,
    private readonly logger: ObsLogger,
  ) {
    this.keeper = new LakeKeeper({ ...cfg, logger });
    this.chain = this.recover();
    this.timer = setInterval(() => {
      if (!this.running) void this.run(false);
    }, cfg.cycleMs ?? 1_000);
    this.timer.unref();
  }

  writerExited(writer: string): void {
    this.keeper.writerExited(writer);
  }

  /** Publishes everything that can be, now (after the cycle running, if any). */
  flush(): Promise<void> {
    return this.run(true);
  }

  /** Stops the timer and waits for the cycle running. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.chain;
  }

  /** Recovery runs before any publish; until it succeeds (e.g. the folder is not writable yet) each cycle retries it. */
  private async recover(): Promise<void> {
    try {
      await this.keeper.recover();
      this.recovered = true;
    } catch (err) {
      this.failed('recovery', err);
    }
  }

  private run(all: boolean): Promise<void> {
    this.running = true;
    const next = this.chain
      .then(async () => {
        if (!this.recovered) await this.recover();
        if (this.recovered) await this.keeper.cycle({ all });
      })
      .then(
        () => undefined,
        (err: unknown) => this.failed(all ? 'flush' : 'cycle', err),
      );
    this.chain = next.finally(() => {
      this.running = false;
    });
    return this.chain;
  }

  /** Logs a failure; the same failure again only every 30 s (a cycle runs every second while it lasts). */
  private failed(step: string, err: unknown): void {
    const error = err instanceof Error ? err.message : String(err);
    const now = Date.now();
    if (error === this.lastLog.message && now - this.lastLog.at < 30_000) return;
    this.lastLog = { message: error, at: now };
    this.logger.error(`lake keeper ${step} failed; the spool keeps the leads and the next cycle tries again`, {
      code: 'LAKE_PUBLISH_FAILED',
      error,
    });
  }
}
