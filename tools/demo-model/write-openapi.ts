/**
 * Writes docs/openapi.json (keys sorted, trailing newline) and docs/features.md for the demo bundle, from its
 * manifest's feature contract. Usage, from the repository root:
 * `npx tsx --tsconfig tsconfig.base.json tools/demo-model/write-openapi.ts [docs-dir]`
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildOpenApiDocument, featuresMarkdown, serializeOpenApiDocument } from '@lead-scoring/feature-schema';
import { DEMO_BUNDLE_DIR, loadBundle } from '@lead-scoring/model-bundle';

async function main(): Promise<void> {
  const docs = resolve(process.argv[2] ?? 'docs');
  const bundle = await loadBundle(DEMO_BUNDLE_DIR);
  const model = { name: bundle.manifest.name, version: bundle.manifest.version };
  mkdirSync(docs, { recursive: true });
  writeFileSync(join(docs, 'openapi.json'), serializeOpenApiDocument(buildOpenApiDocument(bundle.contract, { model })));
  writeFileSync(
    join(docs, 'features.md'),
    featuresMarkdown(bundle.contract, {
      title: 'Lead features of the demo model',
      source: 'models/demo/manifest.json',
    }),
  );
  process.stdout.write(`wrote ${join(docs, 'openapi.json')} and ${join(docs, 'features.md')}\n`);
}

void main();
