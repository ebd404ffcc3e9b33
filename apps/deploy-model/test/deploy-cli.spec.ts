import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyDemoBundle, tempDir, writeLeadBundle } from './helpers/bundles';
import { runInProcess } from './helpers/in-process';
import { envWithoutAws, runCli } from './helpers/run-cli';

interface RenderedPlan {
  dryRun: boolean;
  environment: string;
  calls: { service: string; operation: string; input: Record<string, unknown> }[];
}

describe('deploy CLI', () => {
  jest.setTimeout(180_000);
  let root: string;
  beforeAll(() => (root = tempDir()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('--dry-run prints every AWS call with its parameters, with no AWS credentials or network', async () => {
    const bundle = writeLeadBundle(path.join(root, 'v1'), 'v1');
    const result = await runCli(['deploy', '--env', 'prod', '--model', bundle, '--dry-run'], { env: envWithoutAws() });

    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as RenderedPlan;
    expect(plan).toMatchObject({ dryRun: true, environment: 'prod' });
    expect(plan.calls.map((c) => c.operation)).toEqual([
      'DescribeEndpoint',
      'HeadObject',
      'PutObject',
      'CreateModel',
      'CreateEndpointConfig',
      'CreateEndpoint',
      'UpdateEndpoint',
      'DescribeEndpoint',
      'RegisterScalableTarget',
      'PutScalingPolicy',
    ]);
    const put = plan.calls.find((c) => c.operation === 'PutObject')!.input;
    expect(put).toMatchObject({ Bucket: 'lead-scoring-models-prod', Key: 'models/lead-test/1-0-0/model.tar.gz' });
    expect(String(put['Body'])).toMatch(/^<model\.tar\.gz: \d+ bytes, sha256 [0-9a-f]{64}>$/);
    expect(plan.calls.find((c) => c.operation === 'CreateEndpointConfig')!.input).toMatchObject({
      ProductionVariants: [{ InstanceType: 'ml.c5.xlarge', InitialInstanceCount: 2 }],
    });
  });

  it('--dry-run gives the same plan on every run (deterministic names)', async () => {
    const bundle = copyDemoBundle();
    const a = await runInProcess(['deploy', '--env', 'staging', '--model', bundle, '--dry-run']);
    const b = await runInProcess(['deploy', '--env', 'staging', '--model', bundle, '--dry-run']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    rmSync(path.dirname(bundle), { recursive: true, force: true });
  });

  it('refuses a broken bundle before touching AWS', async () => {
    const bundle = writeLeadBundle(path.join(root, 'broken'), 'v1');
    writeFileSync(path.join(bundle, 'manifest.json'), '{"name": "x"}');
    const result = await runInProcess(['deploy', '--env', 'staging', '--model', bundle]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/BUNDLE_INVALID/);
    expect(result.stderr).not.toMatch(/credentials/i);
  });

  it('says which environments exist when given an unknown one', async () => {
    const result = await runInProcess(['deploy', '--env', 'qa', '--dry-run']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ENV_UNKNOWN.*"qa".*staging, prod/);
  });

  it('says credentials are missing, that nothing was changed, and how to fix it', async () => {
    const bundle = writeLeadBundle(path.join(root, 'nocreds'), 'v1');
    const env = envWithoutAws({
      AWS_CONFIG_FILE: path.join(root, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'none'),
    });
    const result = await runCli(['deploy', '--env', 'staging', '--model', bundle], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/AWS_CREDENTIALS_MISSING/);
    expect(result.stderr).toMatch(/nothing was changed in AWS/);
    expect(result.stderr).toMatch(/hint: set AWS_PROFILE/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('--target local needs --model-dir (usage error, exit 2)', async () => {
    const result = await runInProcess(['deploy', '--target', 'local']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--model-dir/);
  });
});
