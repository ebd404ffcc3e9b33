import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../../..');
const script = join(root, 'tools/scripts/validate-workflows.sh');
const read = (name: string) => readFileSync(join(root, '.github/workflows', name), 'utf8');

describe('workflow files', () => {
  it('pass the GitHub workflow schema check', () => {
    const out = execFileSync('bash', [script], { encoding: 'utf8' });
    expect(out).toContain('ok      .github/workflows/ci.yml');
    expect(out).toContain('ok      .github/workflows/deploy.yml');
  });

  it('makes the validator fail on a job with a misspelt key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'workflow-'));
    try {
      const bad = join(dir, 'bad.yml');
      writeFileSync(
        bad,
        'name: bad\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo hi\n',
      );
      const res = spawnSync('bash', [script, bad], { encoding: 'utf8' });
      expect(res.status).toBe(1);
      expect(res.stderr).toContain("Additional property 'stepz' is not allowed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the affected lint, typecheck, test and build with full history, the audit and the secret scan in CI', () => {
    const ci = read('ci.yml');
    expect(ci).toContain('fetch-depth: 0');
    expect(ci).toContain('uses: nrwl/nx-set-shas@v4');
    expect(ci).toContain('npx nx affected -t lint typecheck test build');
    expect(ci).toContain('npm audit --audit-level=high');
    expect(ci).toContain('npx secretlint');
  });

  it('deploys staging with OIDC credentials, then prod behind the prod environment', () => {
    const deploy = read('deploy.yml');
    expect(deploy).toContain('id-token: write');
    expect(deploy).toContain('aws-actions/configure-aws-credentials@v4');
    expect(deploy).toContain('npm run deploy-model -- deploy --env staging');
    expect(deploy).toMatch(/--slo "p99<1000ms,error_rate<1%"/);
    const prodJob = deploy.slice(deploy.indexOf('\n  prod:\n'));
    expect(prodJob).toContain('needs: staging');
    expect(prodJob).toContain('environment:\n      name: prod');
    expect(deploy).not.toMatch(/aws-access-key-id|AWS_SECRET_ACCESS_KEY/);
  });
});
