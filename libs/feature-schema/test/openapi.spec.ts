import { buildOpenApiDocument, createFeatureContract, featuresMarkdown, serializeOpenApiDocument } from '../src/index';
import { CONTRACT } from './fixtures';

type Doc = {
  openapi: string;
  info: { description: string };
  paths: Record<
    string,
    Record<string, { responses: Record<string, unknown>; security?: unknown; requestBody?: { description: string } }>
  >;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
};

describe('buildOpenApiDocument', () => {
  const doc = buildOpenApiDocument(CONTRACT, { model: { name: 'fit', version: '2.0.0' } }) as Doc;

  it('is OpenAPI 3.1 with every route the API serves', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/health', '/metrics', '/openapi.json', '/ready', '/score']);
    expect(doc.info.description).toContain('8 features (model fit 2.0.0)');
  });

  it('documents POST /score with the API key scheme and every error status', () => {
    const score = doc.paths['/score']!['post']!;

    expect(score.security).toEqual([{ ApiKey: [] }]);
    expect(doc.components.securitySchemes['ApiKey']).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(Object.keys(score.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '404',
      '405',
      '413',
      '415',
      '422',
      '503',
    ]);
  });

  it("describes a row as exactly the contract's values, ranges as advice under the lenient policy", () => {
    const row = doc.components.schemas['FeatureRow'] as {
      prefixItems: Record<string, unknown>[];
      minItems: number;
      maxItems: number;
    };

    expect(row.prefixItems).toHaveLength(8);
    expect([row.minItems, row.maxItems]).toEqual([8, 8]);
    expect(row.prefixItems[0]).toMatchObject({
      type: ['number', 'null'],
      description: 'Headcount. (employees, 1..500000, whole number)',
    });
    expect(row.prefixItems[0]).not.toHaveProperty('minimum');
    expect(doc.paths['/score']!['post']!.requestBody!.description).toContain(
      "scored and reported in the result's warnings",
    );
  });

  it('publishes ranges as bounds under the strict policy', () => {
    const strict = buildOpenApiDocument(CONTRACT, { policy: 'strict' }) as Doc;
    const row = strict.components.schemas['FeatureRow'] as { prefixItems: Record<string, unknown>[] };

    expect(row.prefixItems[0]).toMatchObject({ minimum: 1, maximum: 500_000, type: ['integer', 'null'] });
  });

  it('names every feature of another contract, and only those', () => {
    const other = createFeatureContract([
      {
        name: 'seats',
        description: '',
        unit: '',
        kind: 'count',
        min: 0,
        max: Infinity,
        integer: true,
        allowMissing: false,
      },
    ]);
    const named = (buildOpenApiDocument(other) as Doc).components.schemas['NamedFeatures'] as {
      properties: object;
      required: string[];
    };

    expect(Object.keys(named.properties)).toEqual(['seats']);
    expect(named.required).toEqual(['seats']);
  });

  it('serializes the same way every time, keys sorted, with a trailing newline', () => {
    const text = serializeOpenApiDocument(doc);

    expect(text).toBe(
      serializeOpenApiDocument(buildOpenApiDocument(CONTRACT, { model: { name: 'fit', version: '2.0.0' } })),
    );
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      'components',
      'info',
      'openapi',
      'paths',
      'servers',
      'webhooks',
    ]);
  });
});

describe('featuresMarkdown', () => {
  it('tables every feature in column order with its range, whole-number and missing rules', () => {
    const md = featuresMarkdown(CONTRACT, { title: 'Fit features', source: 'models/fit/manifest.json' });

    expect(md).toMatch(/^# Fit features\n\n<!-- Generated from models\/fit\/manifest.json: do not edit by hand. -->/);
    expect(md).toContain('| 0 | `company_employees` | count | employees | 1..500000 | yes | yes | Headcount. |');
    expect(md).toContain('| 5 | `revenue_change` | number |  | any | no | yes |  |');
    expect(md).toContain('| 6 | `pricing_views` | count |  | >= 0 | yes | no |  |');
  });
});
