import { open, rename, rm, stat } from 'node:fs/promises';
import { DeployError, unreadable } from '../errors';
import { splitRecords, type MiniBatch } from './split-records';

/** What the model server says of itself at `GET /execution-parameters` (Batch Transform asks the same). */
export interface ExecutionParameters {
  readonly MaxConcurrentTransforms: number;
  readonly BatchStrategy: string;
  readonly MaxPayloadInMB: number;
}

/** Options of {@link runLocalTransform}. */
export interface LocalTransformOptions {
  /** The model server's base URL, e.g. `http://127.0.0.1:8081`. */
  readonly modelServer: string;
  readonly input: string;
  readonly output: string;
  /** The job's MaxPayloadInMB; default: what the model server advertises. */
  readonly maxPayloadMb?: number | undefined;
  readonly onProgress?: ((line: string) => void) | undefined;
}

/** What a local run did. */
export interface LocalTransformResult {
  readonly target: 'local';
  readonly input: string;
  readonly output: string;
  readonly records: number;
  readonly requests: number;
  readonly maxPayloadInMB: number;
  readonly maxConcurrentTransforms: number;
  readonly seconds: number;
}

const MB = 1024 * 1024;

async function getJson(url: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (cause) {
    throw new DeployError(
      'MODEL_SERVER_REFUSED',
      `cannot reach the model server at ${url}: ${(cause as Error).message}`,
      { cause, hint: 'start it: SM_MODEL_DIR=<bundle> npm run model-server' },
    );
  }
  if (!res.ok)
    throw new DeployError('MODEL_SERVER_REFUSED', `${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res.json();
}

/** Posts one mini-batch as Batch Transform does: `/invocations`, CSV in, CSV asked back. */
async function invoke(base: string, batch: MiniBatch): Promise<Buffer> {
  const res = await fetch(`${base}/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', accept: 'text/csv' },
    body: batch.body,
  });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) {
    throw new DeployError(
      'MODEL_SERVER_REFUSED',
      `the model server answered ${res.status} to mini-batch ${batch.index} (${batch.records} records from byte ${batch.offset}, ${batch.body.length} bytes): ${body.toString('utf8').slice(0, 500)}`,
      { hint: 'a Transform job with this input would fail the same way' },
    );
  }
  return body;
}

/**
 * Runs a Batch Transform job against a local model server: cuts the file as SageMaker does (SplitType Line,
 * BatchStrategy MultiRecord up to MaxPayloadInMB, see split-records.ts), posts up to MaxConcurrentTransforms
 * requests at a time to `/invocations`, and joins the answers in input order with a newline after each answer
 * that lacks one (AssembleWith Line), so output line i answers input line i. Writes `<output>.partial-<pid>`
 * and renames it when done.
 *
 * @example await runLocalTransform({ modelServer: 'http://127.0.0.1:8081', input: 'leads.csv', output: 'leads.csv.out' });
 */
export async function runLocalTransform(opts: LocalTransformOptions): Promise<LocalTransformResult> {
  const started = performance.now();
  const base = opts.modelServer.replace(/\/+$/, '');
  const params = (await getJson(`${base}/execution-parameters`)) as ExecutionParameters;
  const maxPayloadInMB = opts.maxPayloadMb ?? params.MaxPayloadInMB;
  const concurrency = Math.max(1, params.MaxConcurrentTransforms);
  let size: number;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the input file
    size = (await stat(opts.input)).size;
  } catch (cause) {
    throw unreadable('input', opts.input, cause);
  }
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the input file
  const input = await open(opts.input, 'r');
  const partial = `${opts.output}.partial-${process.pid}`;
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a temporary name next to the output the operator named
  const output = await open(partial, 'w');
  let records = 0;
  let requests = 0;
  let sent = 0;
  try {
    // Answers in input order: request i+1 may finish first, so each is awaited in turn, at most `concurrency` ahead.
    const inFlight: Promise<Buffer>[] = [];
    const writeOldest = async (): Promise<void> => {
      const answer = await inFlight.shift()!;
      await output.write(answer);
      if (answer.length > 0 && answer[answer.length - 1] !== 0x0a) await output.write('\n');
    };
    for await (const batch of splitRecords(input, maxPayloadInMB * MB)) {
      if (inFlight.length >= concurrency) await writeOldest();
      const answer = invoke(base, batch);
      answer.catch(() => undefined);
      inFlight.push(answer);
      records += batch.records;
      requests++;
      sent += batch.body.length;
      opts.onProgress?.(
        `mini-batch ${batch.index}: ${batch.records} records, ${batch.body.length} bytes (${Math.round((sent / Math.max(1, size)) * 100)}% of the input)`,
      );
    }
    while (inFlight.length > 0) await writeOldest();
    await output.sync();
  } catch (err) {
    await Promise.allSettled([output.close(), input.close()]);
    await rm(partial, { force: true });
    throw err;
  }
  await Promise.allSettled([output.close(), input.close()]);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the output the operator named
  await rename(partial, opts.output);
  return {
    target: 'local',
    input: opts.input,
    output: opts.output,
    records,
    requests,
    maxPayloadInMB,
    maxConcurrentTransforms: concurrency,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}
