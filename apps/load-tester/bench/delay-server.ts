/**
 * The load tester bench's target: a node:http server answering every request `{}` after DELAY_MS (default 0) on PORT,
 * run as its own process so that it never shares the generator's event loop.
 */
import { createServer, type ServerResponse } from 'node:http';

const delayMs = Number(process.env['DELAY_MS'] ?? 0);
const port = Number(process.env['PORT']);
if (!Number.isInteger(port) || port <= 0 || !Number.isFinite(delayMs) || delayMs < 0) {
  process.stderr.write('delay-server: PORT must be a port number and DELAY_MS a number of milliseconds >= 0\n');
  process.exit(2);
}

const reply = (res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 });
  res.end('{}');
};
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => (delayMs > 0 ? setTimeout(() => reply(res), delayMs) : reply(res)));
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
