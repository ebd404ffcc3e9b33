import type { RunConfig } from '../config';
import type { BodyPool } from '../payload/bodies';
import { createRng } from '../payload/rng';
import { levelAt, profileDurationMs, type Segment } from '../stages';
import { epochMs } from './clock';
import type { Outcome, Target } from './outcome';
import { Recorder, type Interval } from './recorder';
import { OpenSchedule } from './schedule';

/** What one thread runs: its share of the schedule (or of the users) against its own target. */
export interface ShardOptions {
  model: 'open' | 'closed';
  segments: readonly Segment[];
  shard: { index: number; count: number };
  /** Epoch ms at which second 0 of the run begins (shared by all threads). */
  startAt: number;
  target: Target;
  pool: BodyPool;
  invalidRatio: number;
  seed: number;
  lateThresholdMs: number;
  thinkTimeMs: number;
  /** Called once per second of the run, and once more with the last partial interval. */
  onInterval: (interval: Interval) => void;
}

/** The plain-data part of {@link ShardOptions} taken from a run's config. */
export function shardOptions(
  config: RunConfig,
): Pick<ShardOptions, 'model' | 'segments' | 'invalidRatio' | 'seed' | 'lateThresholdMs' | 'thinkTimeMs'> {
  const { model, segments, invalidRatio, seed, lateThresholdMs, thinkTimeMs } = config;
  return { model, segments, invalidRatio, seed, lateThresholdMs, thinkTimeMs };
}

/**
 * Waiting for the next send: setTimeout until SPIN_MS before it is due, then setImmediate.
 * setTimeout alone fires 1–2 ms late here, which the open model would charge to the server;
 * spinning the whole time would take a core from the server under test on this 2-core box.
 */
const SPIN_MS = 1.5;
/** At most this many overdue requests go out per turn of the event loop, so responses still get read. */
const MAX_BURST = 256;

/**
 * Runs one shard to completion: sends on schedule (open) or per user (closed), records every
 * outcome, cuts one-second intervals, and resolves once the schedule is done and nothing is in flight.
 */
export function runShard(opts: ShardOptions): Promise<void> {
  const recorder = new Recorder({ lateThresholdMs: opts.lateThresholdMs });
  const pick = createPicker(opts.pool, opts.invalidRatio, opts.seed * 1009 + opts.shard.index);
  const elapsed = (): number => epochMs() - opts.startAt;
  const endMs = profileDurationMs(opts.segments);
  let inflight = 0;
  let sending = true;
  let second = 0;
  let ticker: NodeJS.Timeout | undefined;

  return new Promise<void>((resolve) => {
    const finishIfDone = (): void => {
      if (sending || inflight > 0) return;
      if (ticker !== undefined) clearTimeout(ticker);
      opts.onInterval(recorder.cut(second + 1));
      resolve();
    };
    const cutSecond = (): void => {
      opts.onInterval(recorder.cut(second + 1));
      second += 1;
      ticker = setTimeout(cutSecond, Math.max(0, (second + 1) * 1000 - elapsed()));
    };
    const send = (dueMs: number, sentMs: number, after: () => void): void => {
      const { body, invalid } = pick();
      recorder.sent(sentMs, sentMs - dueMs);
      inflight += 1;
      opts.target.send(body, (outcome: Outcome) => {
        const now = elapsed();
        inflight -= 1;
        recorder.completed(outcome, invalid, now - dueMs, now - sentMs);
        after();
      });
    };
    const stopSending = (): void => {
      sending = false;
      finishIfDone();
    };

    const start = (): void => {
      ticker = setTimeout(cutSecond, Math.max(0, 1000 - elapsed()));
      if (opts.model === 'open') runOpen({ opts, elapsed, send, onDone: finishIfDone, stop: stopSending });
      else runClosed({ opts, elapsed, endMs, send, stop: stopSending });
    };
    setTimeout(start, Math.max(0, -elapsed()));
  });
}

function runOpen(ctx: {
  opts: ShardOptions;
  elapsed: () => number;
  send: (dueMs: number, sentMs: number, after: () => void) => void;
  onDone: () => void;
  stop: () => void;
}): void {
  const schedule = new OpenSchedule(ctx.opts.segments, ctx.opts.shard);
  let due = schedule.next();
  const tick = (): void => {
    let now = ctx.elapsed();
    for (let burst = 0; due !== undefined && due <= now && burst < MAX_BURST; burst++) {
      ctx.send(due, now, ctx.onDone);
      due = schedule.next();
      now = ctx.elapsed();
    }
    if (due === undefined) return ctx.stop();
    const wait = due - ctx.elapsed();
    if (wait > SPIN_MS + 1) setTimeout(tick, wait - SPIN_MS);
    else setImmediate(tick);
  };
  tick();
}

function runClosed(ctx: {
  opts: ShardOptions;
  elapsed: () => number;
  endMs: number;
  send: (dueMs: number, sentMs: number, after: () => void) => void;
  stop: () => void;
}): void {
  const { segments, shard, thinkTimeMs } = ctx.opts;
  const peak = Math.ceil(segments.reduce((m, s) => Math.max(m, s.from, s.to), 0));
  let live = 0;
  const inProcess = ctx.opts.target.kind === 'lambda';
  const userLoop = (user: number): void => {
    const now = ctx.elapsed();
    if (now >= ctx.endMs) {
      live -= 1;
      if (live === 0) ctx.stop();
      return;
    }
    // A user beyond the current level idles and checks again shortly (ramps in the closed model).
    if (user >= Math.round(levelAt(segments, now))) {
      setTimeout(() => userLoop(user), 10);
      return;
    }
    // With no think time the next request goes out from the completion callback itself: a
    // setImmediate per request halved the closed model's throughput at saturation. An in-process
    // handler completes in a microtask, so it must yield or it would starve the timers.
    ctx.send(now, now, () => {
      if (thinkTimeMs > 0) setTimeout(() => userLoop(user), thinkTimeMs);
      else if (inProcess) setImmediate(() => userLoop(user));
      else userLoop(user);
    });
  };
  for (let user = shard.index; user < peak; user += shard.count) {
    live += 1;
    userLoop(user);
  }
  if (live === 0) setTimeout(ctx.stop, Math.max(0, ctx.endMs - ctx.elapsed()));
}

function createPicker(pool: BodyPool, invalidRatio: number, seed: number): () => { body: Buffer; invalid: boolean } {
  const rng = createRng(seed);
  let v = 0;
  let i = 0;
  return () => {
    if (invalidRatio > 0 && pool.invalid.length > 0 && rng() < invalidRatio) {
      i = (i + 1) % pool.invalid.length;
      return { body: pool.invalid[i] as Buffer, invalid: true };
    }
    v = (v + 1) % pool.valid.length;
    return { body: pool.valid[v] as Buffer, invalid: false };
  };
}
