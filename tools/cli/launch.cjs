#!/usr/bin/env node
'use strict';
/**
 * Starts a CLI from its esbuild bundle, rebuilding the bundle first when a source is newer than it:
 *   node tools/cli/launch.cjs <deploy-model|load-test|model-server> [args...]
 *   node tools/cli/launch.cjs --build [name...]      (what `nx run <app>:build` runs)
 * Plain CommonJS on purpose: the launcher itself must start in a few milliseconds, with no TypeScript loader.
 */
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const CLIS = {
  'deploy-model': { app: 'apps/deploy-model', out: 'dist/apps/deploy-model/main.js' },
  'load-test': { app: 'apps/load-tester', out: 'dist/apps/load-tester/main.js' },
  'model-server': { app: 'apps/model-server', out: 'dist/apps/model-server/main.js' },
};
// The sources a bundle is made of: its app, every lib (the bundle follows the path aliases), and the settings.
const WATCHED = ['libs', 'tsconfig.base.json', 'package-lock.json', 'tools/cli/launch.cjs'];

function newestMtime(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'test' || entry.name === 'bench') continue;
    if (
      entry.isDirectory() ||
      entry.name.endsWith('.ts') ||
      entry.name.endsWith('.json') ||
      entry.name.endsWith('.wasm')
    ) {
      newest = Math.max(newest, newestMtime(join(path, entry.name)));
    }
  }
  return newest;
}

function isStale(cli) {
  const out = statSync(join(ROOT, cli.out), { throwIfNoEntry: false });
  if (!out) return true;
  const sources = [join(cli.app, 'src'), ...WATCHED].map((p) => newestMtime(join(ROOT, p)));
  return Math.max(...sources) > out.mtimeMs;
}

function build(name) {
  const cli = CLIS[name];
  require('esbuild').buildSync({
    entryPoints: [join(ROOT, cli.app, 'src', 'main.ts')],
    outfile: join(ROOT, cli.out),
    tsconfig: join(ROOT, cli.app, 'tsconfig.json'),
    bundle: true,
    // node_modules stay outside: Node then loads a dependency only when a command needs it, and compiling a
    // bundle of our code alone is a few milliseconds where the whole graph (the AWS SDK included) took ~50.
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
    legalComments: 'none',
    logLevel: 'warning',
  });
}

function main(argv) {
  if (argv[0] === '--build') {
    for (const name of argv.length > 1 ? argv.slice(1) : Object.keys(CLIS)) {
      if (!CLIS[name]) return usage(`unknown CLI "${name}"`);
      build(name);
    }
    return;
  }
  const [name, ...args] = argv;
  const cli = CLIS[name];
  if (!cli) return usage(name === undefined ? 'no CLI named' : `unknown CLI "${name}"`);
  if (isStale(cli)) build(name);
  const entry = join(ROOT, cli.out);
  process.argv = [process.argv[0], entry, ...args];
  require(entry);
}

function usage(problem) {
  process.stderr.write(`launch: ${problem}; use one of: ${Object.keys(CLIS).join(', ')} (or --build [name...])\n`);
  process.exitCode = 2;
}

main(process.argv.slice(2));
