import { spawn, type ChildProcess } from 'node:child_process';

/** Server behaviours the accuracy tests need, run in a child process so it has its own event loop. */
export type ServerBehaviour =
  | { kind: 'delay'; delayMs: number }
  /** Answers at once, except that everything arriving in [fromMs, fromMs + forMs) after the first request waits until the freeze ends. */
  | { kind: 'freeze'; fromMs: number; forMs: number }
  | { kind: 'status'; status: number };

const SCRIPT = `
const http = require('node:http');
const b = JSON.parse(process.env.BEHAVIOUR);
let first;
const reply = (res, status) => { res.writeHead(status, { 'content-type': 'application/json', 'content-length': 2 }); res.end('{}'); };
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (b.kind === 'delay') return void setTimeout(() => reply(res, 200), b.delayMs);
    if (b.kind === 'status') return reply(res, b.status);
    const now = Date.now();
    first ??= now;
    const start = first + b.fromMs, end = start + b.forMs;
    if (now >= start && now < end) setTimeout(() => reply(res, 200), end - now);
    else reply(res, 200);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/** A running child server; `close` stops it. */
export interface ChildServer {
  url: string;
  close(): Promise<void>;
}

/** Starts a node:http server with the given behaviour on a free port. */
export function startChildServer(behaviour: ServerBehaviour): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SCRIPT], {
    env: { ...process.env, BEHAVIOUR: JSON.stringify(behaviour) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (chunk: Buffer) => {
      resolve({
        url: `http://127.0.0.1:${chunk.toString().trim()}/score`,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
