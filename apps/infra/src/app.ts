import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import cdkJson from '../cdk.json';
import type { EnvironmentConfig } from './config/schema';
import { LeadScoringStack } from './stacks/lead-scoring-stack';

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  readonly environments: readonly EnvironmentConfig[];
  readonly lambdaCodePath: string;
  /** Cloud assembly folder; default: CDK's (cdk.out or $CDK_OUTDIR). */
  readonly outdir?: string;
  /** Run the cdk-nag AwsSolutions and Serverless packs at synth (default true): any unacknowledged finding fails synth. */
  readonly nag?: boolean;
}

/** The feature flags pinned in apps/infra/cdk.json (CDK's recommended set when the app was created). */
export const CDK_CONTEXT: Record<string, unknown> = cdkJson.context;

/** The stack id of an environment: `LeadScoring-<env>`. */
export const stackId = (env: Pick<EnvironmentConfig, 'name'>): string => `LeadScoring-${env.name}`;

/**
 * Builds the CDK app: one {@link LeadScoringStack} per environment, the feature flags pinned in
 * apps/infra/cdk.json, and cdk-nag as a policy-validation plugin.
 *
 * @example
 * const app = createApp({ environments: parseEnvironments(), lambdaCodePath: 'dist/apps/api/lambda' });
 * app.synth();
 */
export function createApp(opts: CreateAppOptions): { app: App; stacks: LeadScoringStack[] } {
  const app = new App({
    context: CDK_CONTEXT,
    // main.ts calls synth() itself; auto-synth (on when CDK_OUTDIR is set) would synthesize twice.
    autoSynth: false,
    ...(opts.outdir !== undefined ? { outdir: opts.outdir } : {}),
  });
  const stacks = opts.environments.map(
    (config) => new LeadScoringStack(app, stackId(config), { config, lambdaCodePath: opts.lambdaCodePath }),
  );
  if (opts.nag !== false) Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stacks };
}
