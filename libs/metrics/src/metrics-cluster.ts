import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

const REQ = 'lead-scoring:cluster-metrics-req';
const RES = 'lead-scoring:cluster-metrics-res';

interface Reply {
  type: typeof RES;
  id: number;
  text?: string;
  error?: string;
}

const isReply = (m: unknown): m is Reply => typeof m === 'object' && m !== null && (m as Reply).type === RES;

/**
 * Primary side of cluster metrics: answers a worker's request with the metrics of ALL workers,
 * aggregated by prom-client's AggregatorRegistry (counters and histograms summed, PSI gauges max,
 * missing rates averaged). Call once in the primary before forking.
 *
 * @example
 * if (cluster.isPrimary) { serveClusterMetrics(); for (...) cluster.fork(); }
 */
export function serveClusterMetrics(): { close(): void } {
  const aggregator = new AggregatorRegistry();
  const onMessage = (worker: { send(m: Reply): boolean }, msg: unknown): void => {
    if (typeof msg !== 'object' || msg === null || (msg as { type?: unknown }).type !== REQ) return;
    const id = (msg as { id: number }).id;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: RES, id, text }),
      (err: unknown) => worker.send({ type: RES, id, error: err instanceof Error ? err.message : String(err) }),
    );
  };
  cluster.on('message', onMessage);
  return { close: () => cluster.off('message', onMessage) };
}

/**
 * Worker side: registers this worker's registry for aggregation and returns `text()`, which asks the
 * primary for the cluster-wide metrics, so `/metrics` on any worker shows every worker. Outside a
 * cluster worker it returns the local registry's text. If the primary does not answer within
 * `timeoutMs`, the local text is served with a comment saying so (a scrape never fails outright).
 *
 * @example
 * const source = clusterMetricsSource(metrics.registry); // in each worker
 * app.get('/metrics', async () => source.text());
 */
export function clusterMetricsSource(
  registry: Registry,
  timeoutMs = 6_000,
): { contentType: string; text(): Promise<string> } {
  const contentType = registry.contentType;
  if (!cluster.isWorker || typeof process.send !== 'function') return { contentType, text: () => registry.metrics() };
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry(); // installs prom-client's worker-side listener that answers the primary
  let nextId = 0;
  const pending = new Map<number, (r: Reply) => void>();
  process.on('message', (m: unknown) => {
    if (isReply(m)) pending.get(m.id)?.(m);
  });
  return {
    contentType,
    text: () =>
      new Promise<string>((resolve) => {
        const id = nextId++;
        const local = (why: string): void => {
          pending.delete(id);
          registry.metrics().then(
            (t) => resolve(`# cluster aggregation unavailable (${why}); this worker only\n${t}`),
            () => resolve(''),
          );
        };
        const timer = setTimeout(() => local('timeout'), timeoutMs);
        pending.set(id, (r) => {
          clearTimeout(timer);
          pending.delete(id);
          if (r.text !== undefined) resolve(r.text);
          else local(r.error ?? 'error');
        });
        process.send?.({ type: REQ, id });
      }),
  };
}
