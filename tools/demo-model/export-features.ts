/**
 * Dumps the feature manifest (the single source of truth, libs/feature-schema) as JSON for
 * train_demo.py. Usage: `npx tsx --tsconfig tsconfig.base.json tools/demo-model/export-features.ts [out]`
 * (default out: tmp/features.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FEATURES } from '@lead-scoring/feature-schema';

const out = resolve(process.argv[2] ?? 'tmp/features.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(FEATURES, null, 2)}\n`);
process.stdout.write(`wrote ${FEATURES.length} features to ${out}\n`);
