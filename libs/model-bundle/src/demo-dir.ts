import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const DEMO_REL = join('models', 'demo');

/**
 * Walks up from `start` to the first folder holding `models/demo/manifest.json`; returns that
 * `models/demo` path, or undefined.
 *
 * @example
 * findDemoBundleDir(__dirname); // '/work/main/models/demo'
 */
export function findDemoBundleDir(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, DEMO_REL);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- probing known names above a start folder
    if (existsSync(join(candidate, 'manifest.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function resolveDemoBundleDir(): string {
  const override = process.env['DEMO_BUNDLE_DIR'];
  if (override) return resolve(override);
  // __dirname is absent in ESM bundles; Lambda's task root and the cwd cover those.
  const starts = [
    typeof __dirname === 'string' ? __dirname : undefined,
    process.env['LAMBDA_TASK_ROOT'],
    process.cwd(),
  ];
  for (const start of starts) {
    const found = start === undefined ? undefined : findDemoBundleDir(start);
    if (found) return found;
  }
  return resolve(DEMO_REL); // loadBundle then fails with BUNDLE_NOT_FOUND naming this path
}

/**
 * Absolute path of the default bundle `models/demo`: the `DEMO_BUNDLE_DIR` environment variable
 * when set, else found by walking up from this module, `LAMBDA_TASK_ROOT` or the cwd.
 */
export const DEMO_BUNDLE_DIR: string = resolveDemoBundleDir();
