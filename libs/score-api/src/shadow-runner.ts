import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FeatureContract } from '@lead-scoring/feature-schema';
import type { ShadowOutcome, ShadowSkipReason } from '@lead-scoring/metrics';
import type { LeadScore, Scorer } from '@lead-scoring/scoring-client';
import { remapRows, shadowColumns } from './shadow-contract';
import type { ScoredEvent } from './types';

/** What the shadow model made of the leads of one request: the `ShadowOutcome` of @lead-scoring/metrics. */
export interface ShadowResult extends ShadowOutcome {
  readonly results: readonly LeadScore[];
}

/** Why leads were not scored by the shadow model. */
export type ShadowSkip = ShadowSkipReason;

/** A shadow model: its scorer and its feature contract (checked against production's). */
export interface ShadowModel {
  readonly scorer: Scorer;
  readonly contract: FeatureContract;
}

/** Options of {@link ShadowRunner}. */
export interface ShadowRunnerOptions {
  /** Production's contract: the layout of every request's rows. */
  readonly production: FeatureContract;
  /** The shadow model, or null (none yet: requests are not shadowed). */
  readonly shadow: ShadowModel | null;
  /** Leads waiting at most (default 10,000): past it a request is skipped (`queue_full`) rather than queued. */
  readonly maxQueueLeads?: number;
  /** A request that waited longer than this is skipped (`lag`, default 1,000 ms): the shadow samples when behind. */
  readonly maxLagMs?: number;
  /** A shadow batch not answered within this is given up (`timeout`, default 1,000 ms). */
  readonly timeoutMs?: number;
  /** Called with each shadow result; must not throw (a throw is passed to `onError`). */
  readonly onResult: (e: ScoredEvent, result: ShadowResult) => void;
  /** Called for each request the shadow model will not score, with why. */
  readonly onSkip: (e: ScoredEvent, reason: ShadowSkip) => void;
  /** Called with a failure of the shadow model or of a callback (log it); never affects an answer. */
  readonly onError?: (err: unknown) => void;
}

interface Queued {
  readonly e: ScoredEvent;
  readonly at: number;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Scores every request's valid leads a second time, with a shadow (challenger) model, after the answer has left:
 * `submit` only queues (the score API calls it from `notify`, once the response is sent) and the queue is worked
 * off one request per event-loop turn, so answers always go first. The queue is bounded: when the shadow falls
 * behind, requests are skipped (`queue_full`, or `lag` once they waited `maxLagMs`) and reported through `onSkip`,
 * never queued without bound. A shadow model that throws or stalls is reported (`error`, `timeout`) and never
 * affects a response. The model can be swapped while running (`setShadow`, hot reload).
 *
 * @example
 * const runner = new ShadowRunner({ production: bundle.contract, shadow: { scorer, contract }, onResult, onSkip });
 * createScoreApi({ model, shadow: runner });
 */
export class ShadowRunner {
  private readonly queue: Queued[] = [];
  private queuedLeads = 0;
  private running = false;
  private idleWaiters: (() => void)[] = [];
  private current: { model: ShadowModel; columns: Int32Array | null } | null = null;

  constructor(private readonly opts: ShadowRunnerOptions) {
    this.setShadow(opts.shadow);
  }

  /** The shadow model's name and version, or null when none runs. */
  get model(): { readonly name: string; readonly version: string } | null {
    return this.current?.model.scorer.model ?? null;
  }

  /**
   * Serves another shadow model from the next request on (null: none). Throws ShadowError SHADOW_CONTRACT_MISMATCH
   * (and keeps the current one) when it cannot score production's requests.
   */
  setShadow(shadow: ShadowModel | null): void {
    this.current = shadow ? { model: shadow, columns: shadowColumns(this.opts.production, shadow.contract) } : null;
  }

  /** True while a shadow model is set: requests recorded now will get a shadow result or a skip. */
  active(): boolean {
    return this.current !== null;
  }

  /** Queues a scored request for the shadow model; never throws, never waits. */
  submit(e: ScoredEvent): void {
    if (this.current === null || e.nRows === 0) return;
    if (this.queuedLeads + e.nRows > (this.opts.maxQueueLeads ?? 10_000)) {
      this.skip(e, 'queue_full');
      return;
    }
    this.queue.push({ e, at: performance.now() });
    this.queuedLeads += e.nRows;
    if (!this.running) {
      this.running = true;
      void this.drain();
    }
  }

  /** Resolves once the queue is empty and no batch runs, or after `timeoutMs` (Lambda: before the lake flush). */
  idle(timeoutMs = Infinity): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = Number.isFinite(timeoutMs) ? setTimeout(resolve, timeoutMs) : undefined;
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async drain(): Promise<void> {
    try {
      // Starts on the next turn: the answer that submitted this request is written before any shadow work.
      await nextTurn();
      for (let item = this.queue.shift(); item; item = this.queue.shift()) {
        this.queuedLeads -= item.e.nRows;
        if (performance.now() - item.at > (this.opts.maxLagMs ?? 1_000)) this.skip(item.e, 'lag');
        else await this.scoreOne(item.e);
        await nextTurn();
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async scoreOne(e: ScoredEvent): Promise<void> {
    const current = this.current;
    if (!current) {
      this.skip(e, 'error');
      return;
    }
    const { scorer } = current.model;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const x = current.columns ? remapRows(e.x, e.nRows, this.opts.production.size, current.columns) : e.x;
      const timeout = new Promise<typeof TIMED_OUT>(
        (resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), this.opts.timeoutMs ?? 1_000)),
      );
      const out = await Promise.race([scorer.score({ x, nRows: e.nRows }), timeout]);
      if (out === TIMED_OUT) {
        this.skip(e, 'timeout');
        return;
      }
      this.call(() => this.opts.onResult(e, { model: scorer.model, results: out.results, modelMs: out.modelMs }));
    } catch (err) {
      this.skip(e, 'error');
      this.opts.onError?.(err);
    } finally {
      clearTimeout(timer);
    }
  }

  private skip(e: ScoredEvent, reason: ShadowSkip): void {
    this.call(() => this.opts.onSkip(e, reason));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.opts.onError?.(err);
    }
  }
}
