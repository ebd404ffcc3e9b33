/**
 * CloudWatch Logs bytes the Lambda handler writes per invocation: runs the real handler (Firehose mocked) on
 * 50-lead API Gateway events and counts what reaches stdout, EMF documents apart.
 * Usage: npx tsx --tsconfig tsconfig.base.json apps/api/bench/emf-bytes.ts
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { loadConfig } from '../src/config';
import { createLambdaHandler } from '../src/lambda-handler';
import v1Sample from '../test/fixtures/apigw-rest-v1-post-score.json';

const INVOCATIONS = 200;
const RATE_PER_S = 300;

Object.assign(process.env, { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_EC2_METADATA_DISABLED: 'true' });
mockClient(FirehoseClient).on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });

/** 50 random valid leads; with `flagged`, six values over two features lie outside their published range. */
function body50(flagged: boolean): string {
  const specs = demoFeatures();
  const rng = mulberry32(50);
  const rows = Array.from({ length: 50 }, () => sampleLead(specs, rng));
  if (flagged) {
    const bounded = specs.map((s, i) => ({ s, i })).filter(({ s }) => Number.isFinite(s.max)).slice(0, 2);
    for (let r = 0; r < 3; r++) for (const { s, i } of bounded) rows[r]![i] = s.max + 1;
  }
  return JSON.stringify(rows);
}

async function measure(body: string): Promise<{ docs: number; emfBytes: number; allBytes: number }> {
  const env = { LOG_LEVEL: 'INFO', FIREHOSE_STREAM_NAME: 'bench-scores' };
  const lambda = createLambdaHandler({ config: loadConfig(env), env });
  const event = { ...(v1Sample as unknown as APIGatewayProxyEvent), body };
  const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
  await lambda.app;
  await lambda.handler(event, context);
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter((l) => l.length > 0));
    return true;
  }) as typeof process.stdout.write;
  try {
    for (let i = 0; i < INVOCATIONS; i++) {
      const res = await lambda.handler(event, context);
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
    }
  } finally {
    process.stdout.write = write;
  }
  // CloudWatch Logs bills each event's bytes; the newline is not part of the event.
  const emf = lines.filter((l) => l.includes('"_aws"'));
  const bytes = (ls: string[]): number => ls.reduce((s, l) => s + Buffer.byteLength(l), 0) / INVOCATIONS;
  return { docs: emf.length / INVOCATIONS, emfBytes: bytes(emf), allBytes: bytes(lines) };
}

async function main(): Promise<void> {
  for (const [label, flagged] of [['50 leads', false], ['50 leads, 6 flagged values on 2 features', true]] as const) {
    const m = await measure(body50(flagged));
    const gbPerDay = (m.allBytes * RATE_PER_S * 86_400) / 1e9;
    process.stderr.write(
      `${label}: ${m.docs} EMF documents, ${m.emfBytes.toFixed(0)} EMF bytes, ${m.allBytes.toFixed(0)} stdout bytes per invocation` +
        ` (${gbPerDay.toFixed(1)} GB/day of log events at ${RATE_PER_S} invocations/s)\n`,
    );
  }
}

void main();
