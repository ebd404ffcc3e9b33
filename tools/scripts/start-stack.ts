/**
 * `npm run start:stack`: the production path on one machine. Starts the SageMaker-compatible model server
 * on 8081 (SM_MODEL_DIR=models/demo) and, once its /ping is 200, the API on 8080 with SCORER=sagemaker
 * pointed at it through the real AWS SDK. SIGINT/SIGTERM go to both; exits when both have exited
 * (non-zero if either failed). Ports: MODEL_SERVER_PORT and PORT override 8081 and 8080.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function workspaceRoot(): string {
  let dir = resolve(__dirname);
  while (!existsSync(join(dir, 'nx.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('start-stack: cannot find the workspace root (nx.json)');
    dir = up;
  }
  return dir;
}

const root = workspaceRoot();
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const modelPort = process.env['MODEL_SERVER_PORT'] ?? '8081';
const apiPort = process.env['PORT'] ?? '8080';
const children: { name: string; proc: ChildProcess; exit: Promise<number> }[] = [];
let stopping = false;

function prefixLines(name: string, stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream): void {
  let rest = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
  stream?.on('end', () => rest && out.write(`[${name}] ${rest}\n`));
}

function start(name: string, script: string, env: Record<string, string>): void {
  const proc = spawn(tsx, [join(root, script)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixLines(name, proc.stdout, process.stdout);
  prefixLines(name, proc.stderr, process.stderr);
  const exit = new Promise<number>((done) =>
    proc.on('exit', (code, signal) => {
      process.stderr.write(`[stack] ${name} exited (${signal ?? `code ${code}`})\n`);
      if (!stopping) stop('SIGTERM');
      done(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1));
    }),
  );
  children.push({ name, proc, exit });
}

function stop(signal: NodeJS.Signals): void {
  stopping = true;
  for (const { proc } of children) if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
}

async function waitForPing(url: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !stopping) {
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

async function main(): Promise<void> {
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  start('model-server', 'apps/model-server/src/main.ts', {
    PORT: modelPort,
    SM_MODEL_DIR: join(root, 'models', 'demo'),
    HOST: '127.0.0.1',
  });
  if (!(await waitForPing(`http://127.0.0.1:${modelPort}/ping`, 60_000))) {
    process.stderr.write(`[stack] the model server did not become healthy on port ${modelPort}\n`);
    stop('SIGTERM');
  } else {
    start('api', 'apps/api/src/main.ts', {
      PORT: apiPort,
      SCORER: 'sagemaker',
      SAGEMAKER_ENDPOINT_NAME: 'lead-scoring-local',
      SAGEMAKER_ENDPOINT_URL: `http://127.0.0.1:${modelPort}`,
      AWS_REGION: 'us-east-1',
      // The model server accepts any SigV4 signature; the SDK still needs some credentials to sign with.
      AWS_ACCESS_KEY_ID: process.env['AWS_ACCESS_KEY_ID'] ?? 'local',
      AWS_SECRET_ACCESS_KEY: process.env['AWS_SECRET_ACCESS_KEY'] ?? 'local',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  }
  const codes = await Promise.all(children.map((c) => c.exit));
  process.exit(codes.some((c) => c !== 0) ? 1 : 0);
}

void main();
