import { createFeatureContract, FeatureSchemaError, featureSpecsFromJson, featureSpecsToJson } from '../src/index';
import { SPECS } from './fixtures';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof FeatureSchemaError ? `${err.code}: ${err.message}` : String(err);
  }
  return undefined;
};

describe('featureSpecsFromJson', () => {
  it('reads a bare name as an unbounded number that may be missing', () => {
    expect(featureSpecsFromJson(['visits'])).toEqual([
      {
        name: 'visits',
        description: '',
        unit: '',
        kind: 'number',
        min: -Infinity,
        max: Infinity,
        integer: false,
        allowMissing: true,
      },
    ]);
  });

  it('reads every field of the manifest form, an absent or null bound being unbounded', () => {
    const [a, b] = featureSpecsFromJson([
      {
        name: 'visits',
        description: 'Sessions.',
        unit: 'visits',
        kind: 'count',
        min: 0,
        max: 10,
        integer: true,
        allow_missing: false,
      },
      { name: 'growth', min: null, max: 5 },
    ]);

    expect(a).toEqual({
      name: 'visits',
      description: 'Sessions.',
      unit: 'visits',
      kind: 'count',
      min: 0,
      max: 10,
      integer: true,
      allowMissing: false,
    });
    expect([b!.min, b!.max, b!.allowMissing]).toEqual([-Infinity, 5, true]);
  });

  it('round-trips through the manifest form, leaving unbounded ends out', () => {
    const json = featureSpecsToJson(SPECS);

    expect(featureSpecsFromJson(json)).toEqual(SPECS);
    expect(json[5]).toEqual({
      name: 'revenue_change',
      description: '',
      unit: '',
      kind: 'number',
      integer: false,
      allow_missing: true,
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it.each([
    ['an unknown kind', [{ name: 'a', kind: 'colour' }], /feature 0: kind/],
    ['an unknown key', [{ name: 'a', minimum: 1 }], /feature 0: .*unrecognized|feature 0: \(root\)/],
    ['a duplicate name', ['a', { name: 'a' }], /feature 1 \("a"\): the name appears twice/],
    ['an empty name', [''], /feature 0 \(""\): a name has 1 to 128 characters/],
    ['a reserved name', ['__proto__'], /reserved in JSON bodies/],
    ['a control character', ['a\nb'], /control characters/],
    ['an empty range', [{ name: 'a', min: 2, max: 1 }], /the range 2..1 is empty/],
  ])('refuses %s with FEATURE_SPEC_INVALID naming the feature', (_what, list, message) => {
    expect(codeOf(() => featureSpecsFromJson(list as never))).toMatch(/^FEATURE_SPEC_INVALID: /);
    expect(codeOf(() => featureSpecsFromJson(list as never))).toMatch(message);
  });
});

describe('createFeatureContract', () => {
  it('indexes the features by name in column order and lists the required ones', () => {
    const contract = createFeatureContract(SPECS);

    expect(contract.size).toBe(8);
    expect(contract.names[2]).toBe('web_visits_30d');
    expect(contract.index.get('demo_requested')).toBe(3);
    expect(contract.required).toEqual(['web_visits_30d', 'demo_requested', 'pricing_views']);
  });

  it('cannot be modified at run time', () => {
    const contract = createFeatureContract(SPECS);

    expect(Object.isFrozen(contract.features)).toBe(true);
    expect(Object.isFrozen(contract.features[0])).toBe(true);
    expect(Object.isFrozen(contract.names)).toBe(true);
  });

  it('refuses an empty feature list', () => {
    expect(codeOf(() => createFeatureContract([]))).toBe('FEATURE_SPEC_INVALID: the feature list is empty');
  });
});
