// Runs in a fresh `node` process without tsx's loader, as Lambda would: times loading the built bundle, its model
// and the first call of the first event, then the warm handler latency on it; then, for each further event, what
// EMF documents the function prints on stdout per invocation (CloudWatch Logs bills each line's bytes).
// Usage: node lambda-run.cjs <bundle/index.js> <event.json> [<stdout-event.json>...]; the result is one JSON line on
// stderr, last (stdout carries the function's own output, as in Lambda).
'use strict';
/* eslint-disable security/detect-non-literal-require, security/detect-non-literal-fs-filename -- paths from the bench that runs this */
const t0 = performance.now();
const [bundlePath, eventPath, ...stdoutEventPaths] = process.argv.slice(2);
const { handler } = require(bundlePath);
const moduleLoadMs = performance.now() - t0;
const readEvent = (path) => JSON.parse(require('node:fs').readFileSync(path, 'utf8'));
const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 3000 };
const WARM_CALLS = 3000;
const STDOUT_CALLS = 200;

async function call(event) {
  const res = await handler(event, context);
  if (res.statusCode !== 200) throw new Error(`the handler answered ${res.statusCode}: ${res.body}`);
}

async function stdoutPerInvocation(event) {
  const lines = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l.length > 0),
    );
    return true;
  };
  try {
    for (let i = 0; i < STDOUT_CALLS; i++) await call(event);
  } finally {
    process.stdout.write = write;
  }
  // A log event's bytes are the line's, without its newline.
  const emf = lines.filter((l) => l.includes('"_aws"'));
  return {
    emfDocs: emf.length / STDOUT_CALLS,
    emfBytes: emf.reduce((s, l) => s + Buffer.byteLength(l), 0) / STDOUT_CALLS,
  };
}

async function run() {
  const event = readEvent(eventPath);
  await call(event);
  const coldMs = performance.now() - t0;
  const warm = [];
  for (let i = 0; i < WARM_CALLS; i++) {
    const s = performance.now();
    await call(event);
    warm.push(performance.now() - s);
  }
  warm.sort((a, b) => a - b);
  const stdout = [];
  for (const path of stdoutEventPaths) stdout.push(await stdoutPerInvocation(readEvent(path)));
  process.stderr.write(
    JSON.stringify({
      moduleLoadMs,
      coldMs,
      warmP50Ms: warm[Math.floor(WARM_CALLS / 2)],
      warmP99Ms: warm[Math.floor(WARM_CALLS * 0.99)],
      stdout,
    }) + '\n',
  );
}

run().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
  process.exit(1);
});
