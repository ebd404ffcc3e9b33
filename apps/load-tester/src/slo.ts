import { LoadTestError } from './errors';

/** Metrics an SLO may name, with the unit family each accepts. */
const METRICS = Object.freeze({
  p50: 'latency',
  p90: 'latency',
  p99: 'latency',
  p999: 'latency',
  max: 'latency',
  mean: 'latency',
  error_rate: 'ratio',
  late_ratio: 'ratio',
  achieved_rps: 'rate',
  requests: 'count',
  errors: 'count',
} as const);

/** A metric name an SLO may use. */
export type SloMetric = keyof typeof METRICS;
type Op = '<' | '<=' | '>' | '>=';

/** One objective, normalised: latencies in ms, ratios as fractions. */
export interface Slo {
  text: string;
  metric: SloMetric;
  op: Op;
  value: number;
}

/** An SLO with the measured value and whether it held. */
export interface SloResult extends Slo {
  actual: number;
  ok: boolean;
}

const CLAUSE = /^([a-z0-9_]+)\s*(<=|>=|<|>)\s*(\d+|\d*\.\d+)\s*([a-z%/]*)$/i;
const UNIT_SCALE: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  latency: { '': 1, ms: 1, s: 1000 },
  ratio: { '': 1, '%': 0.01 },
  rate: { '': 1, rps: 1, '/s': 1 },
  count: { '': 1 },
};

/**
 * Parses `--slo "p99<1000ms,error_rate<0.1%"`. Unknown metrics and units are errors (exit 2):
 * a typo such as `p95` or `p99<1000mz` must not pass silently.
 *
 * @example
 * parseSlos('p99<1s,error_rate<0.1%'); // [{metric:'p99',op:'<',value:1000,…},{metric:'error_rate',op:'<',value:0.001,…}]
 */
export function parseSlos(text: string): Slo[] {
  const clauses = text
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  if (clauses.length === 0)
    throw new LoadTestError('INVALID_SLO', '--slo: give at least one objective, e.g. "p99<1000ms"');
  return clauses.map(parseClause);
}

function parseClause(clause: string): Slo {
  const match = CLAUSE.exec(clause);
  if (match === null) {
    throw new LoadTestError(
      'INVALID_SLO',
      `--slo: "${clause}" is not "<metric><op><value>" (e.g. p99<1000ms, error_rate<0.1%)`,
    );
  }
  const [, name = '', op = '<', number = '0', unit = ''] = match;
  const metric = name.toLowerCase();
  if (!Object.hasOwn(METRICS, metric)) {
    throw new LoadTestError(
      'UNKNOWN_SLO_METRIC',
      `--slo: unknown metric "${name}" in "${clause}"; known: ${Object.keys(METRICS).join(', ')}`,
    );
  }
  const family = METRICS[metric as SloMetric];
  const scale = UNIT_SCALE[family]?.[unit.toLowerCase()];
  if (scale === undefined) {
    const allowed =
      Object.keys(UNIT_SCALE[family] ?? {})
        .filter((u) => u !== '')
        .join(', ') || 'none';
    throw new LoadTestError(
      'INVALID_SLO',
      `--slo: unit "${unit}" does not fit ${metric} in "${clause}" (units: ${allowed})`,
    );
  }
  return { text: clause, metric: metric as SloMetric, op: op as Op, value: Number(number) * scale };
}

/** Checks each SLO against the run's measured metrics. */
export function evaluateSlos(slos: readonly Slo[], measured: Readonly<Record<SloMetric, number>>): SloResult[] {
  return slos.map((slo) => {
    const actual = measured[slo.metric];
    return { ...slo, actual, ok: compare(actual, slo.op, slo.value) };
  });
}

function compare(actual: number, op: Op, limit: number): boolean {
  switch (op) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
  }
}
