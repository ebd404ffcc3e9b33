import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { createApp, stackId } from '../../src/app';
import type { EnvironmentConfig } from '../../src/config/schema';
import type { LeadScoringStack } from '../../src/stacks/lead-scoring-stack';

/** A synthesized app: one template per environment, and the folders to remove afterwards. */
export interface Synthesized {
  readonly stacks: LeadScoringStack[];
  template(envName: string): Template;
  templateJson(envName: string): Record<string, unknown>;
  cleanup(): void;
}

// Fixed content, so the asset hash (and the snapshot) never depends on a build of apps/api.
const STUB_HANDLER = 'exports.handler = async () => ({ statusCode: 200, body: "{}" });\n';

/**
 * Builds the app for `environments` with a stub Lambda bundle and synthesizes it once (cdk-nag runs
 * as a validation plugin: any unacknowledged finding makes this throw).
 */
export function synthesize(environments: readonly EnvironmentConfig[]): Synthesized {
  const lambdaCodePath = mkdtempSync(join(tmpdir(), 'infra-lambda-'));
  writeFileSync(join(lambdaCodePath, 'index.js'), STUB_HANDLER);
  const outdir = mkdtempSync(join(tmpdir(), 'infra-cdk-out-'));
  const { app, stacks } = createApp({ environments, lambdaCodePath, outdir });
  const assembly = app.synth();
  const json = (envName: string) =>
    assembly.getStackByName(stackId({ name: envName })).template as Record<string, unknown>;
  return {
    stacks,
    templateJson: json,
    template: (envName) => Template.fromJSON(json(envName)),
    cleanup: () => {
      rmSync(lambdaCodePath, { recursive: true, force: true });
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}
