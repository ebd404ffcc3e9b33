import autocannon, { type Client, type Result } from 'autocannon';

/** One autocannon run posting JSON bodies. */
export interface LoadOptions {
  /** Full URL, query included, e.g. `http://127.0.0.1:8080/score?explain=3`. */
  url: string;
  /** The body of every request, unless `nextBody` gives one per request. */
  body?: string;
  /** A fresh body for each request (no two alike, so nothing downstream feeds on repeats). */
  nextBody?: () => string;
  connections: number;
  /** Seconds. */
  duration: number;
  /** Requests per second over all connections; saturating when absent. */
  rate?: number;
  /** Run autocannon in this many worker threads, so that reading large answers stays off this thread. */
  workers?: number;
}

/**
 * Posts JSON to `url` with autocannon at a fixed rate or saturating, and fails when any answer is not 2xx (a bench
 * must not quote the speed of errors).
 *
 * @example
 * const r = await postLoad({ url: `${api.url}/score`, body, connections: 10, duration: 10, rate: 300 });
 * r.latency.p99; // ms
 */
export async function postLoad(opts: LoadOptions): Promise<Result> {
  const next = opts.nextBody;
  const r = await autocannon({
    url: opts.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: opts.connections,
    duration: opts.duration,
    ...(opts.body !== undefined ? { body: opts.body } : {}),
    // autocannon's coordinated-omission correction back-fills values down to 1 ms under every answer (its expected
    // interval is ceil(1 / per-connection rate) ms, i.e. 1 ms at any rate): a 10 ms server read p50 6 ms at 1,000 req/s.
    // Latency is therefore counted from each request's send.
    ...(opts.rate !== undefined ? { overallRate: opts.rate, ignoreCoordinatedOmission: true } : {}),
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    ...(next
      ? {
          setupClient: (client: Client) => {
            client.setBody(next());
            client.on('response', () => client.setBody(next()));
          },
        }
      : {}),
  });
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(`${opts.url}: ${r.non2xx} non-2xx answers and ${r.errors} errors of ${r.requests.total} requests`);
  return r;
}
