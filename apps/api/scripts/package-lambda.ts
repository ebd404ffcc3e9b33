/**
 * Zips the esbuild output dist/apps/api/lambda (index.js + models/demo) into dist/apps/api/lambda.zip,
 * the artefact Lambda deploys. Source maps stay out of the zip (kept next to it for debugging).
 * Fails when the zip exceeds 5 MB. Run by `nx run api:build` after the bundle step.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { zipSync, type Zippable } from 'fflate';

/* eslint-disable security/detect-non-literal-fs-filename -- build script over the dist folder it names itself */

const MAX_ZIP_BYTES = 5 * 1024 * 1024;
const root = resolve(__dirname, '../../..');
const dir = join(root, 'dist/apps/api/lambda');
const out = join(root, 'dist/apps/api/lambda.zip');

function collect(current: string, files: Zippable): void {
  for (const name of readdirSync(current).sort()) {
    const path = join(current, name);
    if (statSync(path).isDirectory()) collect(path, files);
    else if (!name.endsWith('.map'))
      files[relative(dir, path).split('\\').join('/')] = [
        readFileSync(path),
        { level: 9, mtime: new Date('2024-01-01T00:00:00Z') },
      ];
  }
}

const files: Zippable = {};
collect(dir, files);
if (!files['index.js']) {
  process.stderr.write(`package-lambda: ${dir}/index.js is missing; run the bundle step first\n`);
  process.exit(1);
}
const zip = zipSync(files);
writeFileSync(out, zip);
const mb = (zip.length / 1024 / 1024).toFixed(2);
process.stdout.write(`package-lambda: wrote ${relative(root, out)} (${mb} MB, ${Object.keys(files).length} files)\n`);
if (zip.length > MAX_ZIP_BYTES) {
  process.stderr.write(`package-lambda: ${mb} MB is over the 5 MB budget\n`);
  process.exit(1);
}
