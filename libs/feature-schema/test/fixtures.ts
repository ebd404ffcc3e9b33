import fc from 'fast-check';
import { createFeatureContract, FEATURE_KINDS, type FeatureSpec } from '../src/index';

const spec = (s: Partial<FeatureSpec> & { name: string }): FeatureSpec => ({
  description: '',
  unit: '',
  kind: 'number',
  min: Number.NEGATIVE_INFINITY,
  max: Number.POSITIVE_INFINITY,
  integer: false,
  allowMissing: true,
  ...s,
});

/** A small contract with one feature of each trait the validators care about. */
export const SPECS: readonly FeatureSpec[] = [
  spec({
    name: 'company_employees',
    kind: 'count',
    unit: 'employees',
    min: 1,
    max: 500_000,
    integer: true,
    description: 'Headcount.',
  }),
  spec({ name: 'email_open_rate_90d', kind: 'ratio', unit: '0..1', min: 0, max: 1 }),
  spec({
    name: 'web_visits_30d',
    kind: 'count',
    unit: 'visits',
    min: 0,
    max: 2000,
    integer: true,
    allowMissing: false,
  }),
  spec({ name: 'demo_requested', kind: 'flag', unit: '0/1', min: 0, max: 1, integer: true, allowMissing: false }),
  spec({ name: 'intent_score', kind: 'score', min: 0, max: 100 }),
  spec({ name: 'revenue_change', kind: 'number' }),
  spec({ name: 'pricing_views', kind: 'count', min: 0, integer: true, allowMissing: false }),
  spec({ name: 'days_to_renewal', kind: 'days', max: 3650, integer: true }),
];
export const CONTRACT = createFeatureContract(SPECS);
export const col = (name: string): number => CONTRACT.index.get(name)!;

const bound = fc.oneof(
  fc.constant(Number.NEGATIVE_INFINITY),
  fc.integer({ min: -50, max: 50 }),
  fc.double({ min: -1e3, max: 1e3, noNaN: true }),
);

/** Random feature lists: 1..12 features with random names, kinds, ranges (bounded or not), rules. */
export const arbitrarySpecs: fc.Arbitrary<FeatureSpec[]> = fc
  .uniqueArray(
    fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/),
      kind: fc.constantFrom(...FEATURE_KINDS),
      lo: bound,
      span: fc.oneof(
        fc.constant(Number.POSITIVE_INFINITY),
        fc.integer({ min: 0, max: 100 }),
        fc.double({ min: 0, max: 1e3, noNaN: true }),
      ),
      integer: fc.boolean(),
      allowMissing: fc.boolean(),
    }),
    { minLength: 1, maxLength: 12, selector: (r) => r.name },
  )
  .map((list) =>
    list.map((r) => {
      const max = r.span === Number.POSITIVE_INFINITY ? r.span : Number.isFinite(r.lo) ? r.lo + r.span : r.span;
      return spec({ name: r.name, kind: r.kind, min: r.lo, max, integer: r.integer, allowMissing: r.allowMissing });
    }),
  );
