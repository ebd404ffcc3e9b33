/** Retry policy: `maxAttempts` tries in all, exponential backoff capped at `maxDelayMs`, full jitter. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Delay before retry number `attempt` (1 = first retry): uniform in [0, min(max, base * 2^(attempt-1))].
 * Full jitter (AWS architecture blog, "Exponential Backoff And Jitter") spreads the retries of many
 * workers that failed together, so they do not hammer a recovering sink in lockstep.
 *
 * @example
 * await sleep(backoffDelay({ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5000 }, 2, Math.random));
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * cap);
}

/** Promise-based sleep. Not unref'd on purpose: a retry pending during shutdown must keep the process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
