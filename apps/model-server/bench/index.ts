/**
 * Model-server benchmark (`npx nx run model-server:bench`):
 * 1. model server req/s and latency for 50-row CSV bodies on POST /invocations;
 * 2. the cost of the SageMaker hop: the API in-process vs the API with SCORER=sagemaker → model server,
 *    same 50-row JSON body on POST /score, one connection (latency) and eight (throughput).
 * Every server is a child process started here (API with WORKERS=1 so both modes get one core).
 * BENCH_SECONDS sets each run's duration (default 10). Prints the table through the bench kit.
 */
import autocannon, { type Result } from 'autocannon';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { envCount, report, type Figure } from '@lead-scoring/bench';
import { freePort, ROOT, startTsx, waitFor200, type Child } from '@lead-scoring/testing';

const SECONDS = envCount('BENCH_SECONDS', 10);
const ROWS = 50;
const AWS = {
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};

const rng = mulberry32(2024);
const rows = Array.from({ length: ROWS }, () => sampleLead(demoFeatures(), rng));
const csvBody = rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\n') + '\n';
const jsonBody = JSON.stringify(rows);

async function load(url: string, body: string, contentType: string, connections: number): Promise<Result> {
  const r = await autocannon({
    url,
    method: 'POST',
    body,
    headers: { 'content-type': contentType },
    connections,
    duration: SECONDS,
  });
  // A few 504s are the deadline doing its job when the machine stalls; more means something is broken.
  if (r.non2xx + r.errors > 0.05 * r.requests.total)
    throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return r;
}

const figures = (label: string, r: Result): Figure[] => [
  { metric: `${label}: throughput`, value: r.requests.average, unit: 'req/s' },
  { metric: `${label}: p50`, value: r.latency.p50, unit: 'ms' },
  { metric: `${label}: p99`, value: r.latency.p99, unit: 'ms' },
];

async function main(): Promise<void> {
  const children: Child[] = [];
  try {
    const msPort = await freePort();
    const ms = startTsx('apps/model-server/src/main.ts', {
      PORT: String(msPort),
      HOST: '127.0.0.1',
      SM_MODEL_DIR: `${ROOT}/models/demo`,
    });
    children.push(ms);
    await waitFor200(`http://127.0.0.1:${msPort}/ping`, ms);

    const [inPort, smPort] = [await freePort(), await freePort()];
    const common = { WORKERS: '1', LOG_LEVEL: 'ERROR', MAX_ROWS: '1000' };
    const apiIn = startTsx('apps/api/src/main.ts', { ...common, PORT: String(inPort), SCORER: 'inprocess' });
    const apiSm = startTsx('apps/api/src/main.ts', {
      ...common,
      ...AWS,
      PORT: String(smPort),
      SCORER: 'sagemaker',
      SAGEMAKER_ENDPOINT_NAME: 'lead-scoring-local',
      SAGEMAKER_ENDPOINT_URL: `http://127.0.0.1:${msPort}`,
    });
    children.push(apiIn, apiSm);
    await Promise.all([
      waitFor200(`http://127.0.0.1:${inPort}/ready`, apiIn),
      waitFor200(`http://127.0.0.1:${smPort}/ready`, apiSm),
    ]);

    process.stdout.write(`model-server bench: ${ROWS}-row bodies, ${SECONDS} s per run\n`);
    const out: Figure[] = [];
    const invocations = `http://127.0.0.1:${msPort}/invocations`;
    for (const c of [1, 8])
      out.push(...figures(`POST /invocations CSV, ${c} conn`, await load(invocations, csvBody, 'text/csv', c)));
    for (const c of [1, 8]) {
      const a = await load(`http://127.0.0.1:${inPort}/score`, jsonBody, 'application/json', c);
      const b = await load(`http://127.0.0.1:${smPort}/score`, jsonBody, 'application/json', c);
      out.push(...figures(`API in-process, ${c} conn`, a), ...figures(`API via model server, ${c} conn`, b));
      out.push({ metric: `SageMaker hop cost p50, ${c} conn`, value: b.latency.p50 - a.latency.p50, unit: 'ms' });
      out.push({ metric: `SageMaker hop cost p99, ${c} conn`, value: b.latency.p99 - a.latency.p99, unit: 'ms' });
    }
    report('model-server', out);
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
