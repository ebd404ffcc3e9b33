import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { createApp } from '../src/app';
import { parseEnvironments } from '../src/config/environments';
import type { LeadScoringStack } from '../src/stacks/lead-scoring-stack';

// cdk-nag's validateScope walks the construct tree directly: no synthesis needed, so this file is cheap.
let dir: string;
let stacks: LeadScoringStack[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'infra-nag-'));
  writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => ({});\n');
  ({ stacks } = createApp({ environments: parseEnvironments(), lambdaCodePath: dir, nag: false }));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const acknowledgments = (root: IConstruct): { path: string; id: string; reason: string }[] =>
  root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, unknown>).map(([id, v]) => ({
          path: c.node.path,
          id,
          reason: reasonOf(v),
        })),
      ),
  );

const reasonOf = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : typeof (v as { reason?: unknown })?.reason === 'string'
      ? (v as { reason: string }).reason
      : JSON.stringify(v);

describe('cdk-nag', () => {
  it.each(['staging', 'prod'])('finds no unacknowledged AwsSolutions finding, error or warning, in %s', (name) => {
    const stack = stacks.find((s) => s.stackName === `LeadScoring-${name}`)!;
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(
      report.violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
    ).toEqual([]);
  });

  it.each(['staging', 'prod'])('finds no unacknowledged Serverless finding in %s', (name) => {
    const stack = stacks.find((s) => s.stackName === `LeadScoring-${name}`)!;
    const report = new ServerlessChecks().validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('gives every acknowledgment a written reason of a full sentence', () => {
    const acks = stacks.flatMap((s) => acknowledgments(s));
    expect(acks.length).toBeGreaterThan(10);
    for (const a of acks)
      expect({ id: a.id, reasonLength: a.reason.length >= 40 }).toEqual({ id: a.id, reasonLength: true });
  });

  it('reports a finding once its acknowledgment is missing (the gate can fail)', () => {
    const stack = stacks.find((s) => s.stackName === 'LeadScoring-staging')!;
    const bucket = stack.storage.accessLogsBucket;
    // The access-log bucket's S1 finding is acknowledged; the same rule on an unacknowledged twin is reported.
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.success).toBe(true);
    const twin = new (bucket.constructor as typeof import('aws-cdk-lib/aws-s3').Bucket)(stack, 'UnloggedTwin', {
      enforceSSL: true,
    });
    const after = new AwsSolutionsChecks().validateScope(stack);
    expect(after.violations.map((v) => v.ruleName)).toContain('AwsSolutions-S1');
    twin.node.scope?.node.tryRemoveChild(twin.node.id);
  });
});
