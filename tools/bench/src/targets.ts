import type { Figure } from './report';

/** A figure before its target is set. */
export type Measured = Omit<Figure, 'target' | 'holds'>;

const n = (x: number): string => x.toLocaleString('en-US');

/**
 * The figure with an upper bound as its target: `<= limit unit`.
 *
 * @example
 * atMost({ metric: 'Lambda warm p50', value: 0.6, unit: 'ms' }, 1); // target "<= 1 ms", holds
 */
export function atMost(f: Measured, limit: number): Figure {
  return { ...f, target: `<= ${n(limit)} ${f.unit}`, holds: f.value <= limit };
}

/**
 * The figure with a strict upper bound as its target (an SLO such as p99 < 1,000 ms).
 *
 * @example
 * below({ metric: 'p99 at 300 req/s', value: 14, unit: 'ms' }, 1000); // target "< 1,000 ms", holds
 */
export function below(f: Measured, limit: number): Figure {
  return { ...f, target: `< ${n(limit)} ${f.unit}`, holds: f.value < limit };
}

/**
 * The figure with a lower bound as its target: `>= limit unit`.
 *
 * @example
 * atLeast({ metric: '50-lead req/s', value: 4800, unit: 'req/s' }, 4500); // target ">= 4,500 req/s", holds
 */
export function atLeast(f: Measured, limit: number): Figure {
  return { ...f, target: `>= ${n(limit)} ${f.unit}`, holds: f.value >= limit };
}
