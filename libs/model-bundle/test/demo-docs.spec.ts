// docs/openapi.json and docs/features.md are the demo bundle's contract, generated from its manifest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument, featuresMarkdown, serializeOpenApiDocument } from '@lead-scoring/feature-schema';
import { DEMO_BUNDLE_DIR, loadBundle, type ModelBundle } from '../src/index';

const docs = join(DEMO_BUNDLE_DIR, '..', '..', 'docs');
const REGENERATE = 'run `npx tsx --tsconfig tsconfig.base.json tools/demo-model/write-openapi.ts` and commit docs/';

describe('the committed docs of the demo bundle', () => {
  let bundle: ModelBundle;
  beforeAll(async () => {
    bundle = await loadBundle(DEMO_BUNDLE_DIR);
  });

  it('match its OpenAPI document (docs/openapi.json)', () => {
    const doc = buildOpenApiDocument(bundle.contract, {
      model: { name: bundle.manifest.name, version: bundle.manifest.version },
    });
    const committed = readFileSync(join(docs, 'openapi.json'), 'utf8');

    // A plain toBe would print a 40 kB diff; the message says how to fix it.
    expect({ upToDate: committed === serializeOpenApiDocument(doc), fix: REGENERATE }).toEqual({
      upToDate: true,
      fix: REGENERATE,
    });
  });

  it('match its feature table (docs/features.md)', () => {
    const md = featuresMarkdown(bundle.contract, {
      title: 'Lead features of the demo model',
      source: 'models/demo/manifest.json',
    });

    expect({ upToDate: readFileSync(join(docs, 'features.md'), 'utf8') === md, fix: REGENERATE }).toEqual({
      upToDate: true,
      fix: REGENERATE,
    });
  });
});
