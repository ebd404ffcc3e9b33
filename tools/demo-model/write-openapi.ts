/**
 * Writes docs/openapi.json (keys sorted, trailing newline) and docs/features.md from the zod
 * schemas and the feature manifest. Usage, from the repository root:
 * `npx tsx --tsconfig tsconfig.base.json tools/demo-model/write-openapi.ts`
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { featuresMarkdown, serializeOpenApiDocument } from '@lead-scoring/feature-schema';

const docs = resolve(process.argv[2] ?? 'docs');
mkdirSync(docs, { recursive: true });
writeFileSync(join(docs, 'openapi.json'), serializeOpenApiDocument());
writeFileSync(join(docs, 'features.md'), featuresMarkdown());
process.stdout.write(`wrote ${join(docs, 'openapi.json')} and ${join(docs, 'features.md')}\n`);
