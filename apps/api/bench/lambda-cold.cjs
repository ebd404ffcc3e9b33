// Runs in a fresh `node` process (no tsx loader, as Lambda would): times loading the built bundle,
// its model and the first 50-row call; then the warm 50-row handler latency. Prints one JSON line.
// Usage: node lambda-cold.cjs <bundle/index.js> <event.json>; the result goes to stderr (stdout carries
// the function's own logs and EMF metrics, as in Lambda).
'use strict';
/* eslint-disable security/detect-non-literal-require, security/detect-non-literal-fs-filename -- bench paths from its own caller */
const t0 = performance.now();
const [bundlePath, eventPath] = process.argv.slice(2);
const { handler } = require(bundlePath);
const moduleLoadMs = performance.now() - t0;
const event = JSON.parse(require('node:fs').readFileSync(eventPath, 'utf8'));
const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 3000 };

async function run() {
  const first = await handler(event, context);
  const coldMs = performance.now() - t0;
  // CPU time of the whole process so far (Node start-up included): robust to a busy machine, unlike wall time.
  const cpu = process.cpuUsage();
  const coldCpuMs = (cpu.user + cpu.system) / 1000;
  const warm = [];
  for (let i = 0; i < 3000; i++) {
    const s = performance.now();
    await handler(event, context);
    warm.push(performance.now() - s);
  }
  warm.sort((a, b) => a - b);
  const pick = (q) => warm[Math.floor(q * (warm.length - 1))];
  process.stderr.write(
    JSON.stringify({ status: first.statusCode, moduleLoadMs, coldMs, coldCpuMs, warmP50Ms: pick(0.5), warmP99Ms: pick(0.99) }) + '\n',
  );
}

void run();
