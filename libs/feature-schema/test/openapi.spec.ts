import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument, featuresMarkdown, serializeOpenApiDocument } from '../src/index';

const docs = join(__dirname, '..', '..', '..', 'docs');
const REGENERATE = 'run `npx tsx --tsconfig tsconfig.base.json tools/demo-model/write-openapi.ts` and commit docs/';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
};

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument() as Doc;

  it('matches the committed docs/openapi.json', () => {
    const committed = readFileSync(join(docs, 'openapi.json'), 'utf8');

    // A plain toBe would print a 40 kB diff; the message says how to fix it.
    expect({ upToDate: committed === serializeOpenApiDocument(doc), fix: REGENERATE }).toEqual({
      upToDate: true,
      fix: REGENERATE,
    });
  });

  it('matches the committed docs/features.md', () => {
    expect(readFileSync(join(docs, 'features.md'), 'utf8')).toBe(featuresMarkdown());
  });

  it('is OpenAPI 3.1 with every route the API serves', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/health', '/metrics', '/openapi.json', '/ready', '/score']);
  });

  it('documents POST /score with the API key scheme and every error status', () => {
    const score = doc.paths['/score']!['post']!;

    expect(score.security).toEqual([{ ApiKey: [] }]);
    expect(doc.components.securitySchemes['ApiKey']).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(Object.keys(score.responses).sort()).toEqual(['200', '400', '401', '404', '405', '413', '415']);
  });

  it('describes the rows as exactly 50 values with each feature\'s range', () => {
    const row = doc.components.schemas['FeatureRow'] as { prefixItems: { minimum: number }[]; minItems: number; maxItems: number };

    expect(row.prefixItems).toHaveLength(50);
    expect([row.minItems, row.maxItems]).toEqual([50, 50]);
    expect(row.prefixItems[0]).toMatchObject({ minimum: 1, maximum: 500_000, type: ['integer', 'null'] });
  });

  it('serializes the same way every time, keys sorted, with a trailing newline', () => {
    const text = serializeOpenApiDocument();

    expect(text).toBe(serializeOpenApiDocument(buildOpenApiDocument()));
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['components', 'info', 'openapi', 'paths', 'servers', 'webhooks']);
  });
});
