import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApp } from './app';
import { parseEnvironments } from './config/environments';
import { InfraError } from './errors';

/**
 * Synthesizes every environment's stack into a cloud assembly, offline (no credentials, no lookups).
 * Precedence: LAMBDA_CODE_PATH > dist/apps/api/lambda; CDK_OUTDIR (set by the cdk CLI) > dist/apps/infra/cdk.out.
 * Paths are relative to the workspace root (the current directory under `nx run infra:synth`).
 */
function main(): void {
  const lambdaCodePath = resolve(process.env['LAMBDA_CODE_PATH'] ?? 'dist/apps/api/lambda');
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator's own path (env var), not request input
  if (!existsSync(join(lambdaCodePath, 'index.js'))) {
    throw new InfraError(
      'INFRA_LAMBDA_CODE_MISSING',
      `${lambdaCodePath}/index.js not found: run \`npx nx run api:bundle-lambda\` first, or set LAMBDA_CODE_PATH`,
    );
  }
  const outdir = resolve(process.env['CDK_OUTDIR'] ?? 'dist/apps/infra/cdk.out');
  const { app, stacks } = createApp({ environments: parseEnvironments(), lambdaCodePath, outdir });
  app.synth();
  process.stdout.write(`synthesized ${stacks.map((s) => s.stackName).join(', ')} into ${outdir}\n`);
}

try {
  main();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
}
