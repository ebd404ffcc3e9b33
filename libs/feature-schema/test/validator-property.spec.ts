// The fast validator and the zod schemas are two builds of one contract: on random contracts and random
// bodies they must agree lead by lead, under both policies.
import fc from 'fast-check';
import { z } from 'zod';
import {
  createFeatureContract,
  createLeadValidator,
  FeatureSchemaError,
  requestSchemas,
  type FeatureSpec,
  type ValidationPolicy,
} from '../src/index';
import { mulberry32, sampleLead } from '../src/testing';
import { arbitrarySpecs } from './fixtures';

/** Values a client might put where a feature belongs: valid, edge, out of range, wrong type. */
const junkValue = fc.oneof(
  fc.constantFrom(null, 0, 1, -1, 0.5, 1e9, -0, 1e308, 1e-300, 2 ** 53, 3650.5),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e4, max: 1e4 }),
  fc.integer({ min: -100, max: 1000 }),
  fc.string({ maxLength: 3 }),
  fc.boolean(),
  fc.constantFrom([], {}, [1]),
);

function leads(specs: readonly FeatureSpec[]): fc.Arbitrary<unknown[]> {
  const valid = fc.integer().map((seed) => sampleLead(specs, mulberry32(seed)) as unknown[]);
  const mutated = fc
    .tuple(
      valid,
      fc.array(fc.tuple(fc.nat(specs.length - 1), junkValue), { maxLength: 2 }),
      fc.constantFrom(0, 0, 0, -1, 1),
    )
    .map(([row, edits, delta]) => {
      const out = [...row];
      for (const [i, v] of edits) out[i] = v;
      if (delta < 0) out.pop();
      if (delta > 0) out.push(0);
      return out;
    });
  return fc.oneof(valid, mutated);
}

const oddId = fc.oneof(
  fc.string({ minLength: 1, maxLength: 4 }),
  fc.constantFrom('', 'x\ud800y', 'a'.repeat(129), 7, null),
);

function named(specs: readonly FeatureSpec[]): fc.Arbitrary<unknown> {
  return fc
    .tuple(leads(specs), fc.nat(specs.length), oddId, fc.boolean(), fc.boolean())
    .map(([row, keep, id, withId, extra]) => {
      const features: Record<string, unknown> = {};
      specs.forEach((s, j) => {
        if ((j < keep || !s.allowMissing) && j < row.length) features[s.name] = row[j];
      });
      if (row.length > specs.length) features['unknown_feature'] = 1;
      return { ...(withId ? { lead_id: id } : {}), features, ...(extra ? { score: 1 } : {}) };
    });
}

const caseOf = arbitrarySpecs.chain((specs) =>
  fc.record({
    specs: fc.constant(specs),
    policy: fc.constantFrom<ValidationPolicy>('lenient', 'strict'),
    body: fc.oneof(
      fc.array(
        fc.oneof(
          { weight: 8, arbitrary: leads(specs) },
          { weight: 1, arbitrary: fc.constantFrom<unknown>({}, 'x', null, 5) },
        ),
        { minLength: 1, maxLength: 4 },
      ),
      fc
        .array(
          fc.oneof(
            { weight: 8, arbitrary: named(specs) },
            { weight: 1, arbitrary: fc.constantFrom<unknown>(null, [], 'x') },
          ),
          { minLength: 1, maxLength: 4 },
        )
        .map((l) => ({ leads: l })),
    ),
  }),
);

/** Per lead: 'invalid', 'flagged' (valid, with warnings) or 'valid', by the fast validator. */
function fastVerdicts(specs: readonly FeatureSpec[], policy: ValidationPolicy, body: unknown): string[] {
  const validator = createLeadValidator(createFeatureContract(specs), { maxRows: 100, policy });
  const n = Array.isArray(body) ? body.length : (body as { leads: unknown[] }).leads.length;
  try {
    const batch = validator.validate(body);
    const out = new Array<string>(n).fill('valid');
    for (const r of batch.rejected) out[r.position] = 'invalid';
    for (let k = 0; k < batch.nRows; k++)
      if (batch.warnings?.[k]) out[batch.positions ? batch.positions[k]! : k] = 'flagged';
    return out;
  } catch (err) {
    if (err instanceof FeatureSchemaError && err.code === 'VALIDATION_FAILED')
      return new Array<string>(n).fill('invalid');
    throw err;
  }
}

/** The same verdicts from the zod schemas: invalid under this policy, or valid but invalid under strict. */
function zodVerdicts(specs: readonly FeatureSpec[], policy: ValidationPolicy, body: unknown): string[] {
  const contract = createFeatureContract(specs);
  const pick = (s: ReturnType<typeof requestSchemas>): z.ZodType =>
    Array.isArray(body) ? s.FeatureRowSchema : s.NamedLeadSchema;
  const own = pick(requestSchemas(contract, policy));
  const strict = pick(requestSchemas(contract, 'strict'));
  const list = Array.isArray(body) ? body : (body as { leads: unknown[] }).leads;
  return list.map((lead) =>
    !own.safeParse(lead).success ? 'invalid' : strict.safeParse(lead).success ? 'valid' : 'flagged',
  );
}

describe('the fast validator and the zod schemas of a contract', () => {
  it('agree lead by lead on random contracts and bodies, under both policies', () => {
    fc.assert(
      fc.property(caseOf, ({ specs, policy, body }) => {
        expect(fastVerdicts(specs, policy, body)).toEqual(zodVerdicts(specs, policy, body));
      }),
      { numRuns: 1500, seed: 20261207 },
    );
  });

  it('draw valid, flagged and invalid leads, so the agreement above is not vacuous', () => {
    const verdicts = fc
      .sample(caseOf, { numRuns: 400, seed: 7 })
      .flatMap(({ specs, policy, body }) => zodVerdicts(specs, policy, body));

    for (const v of ['valid', 'flagged', 'invalid']) expect(verdicts.filter((x) => x === v).length).toBeGreaterThan(40);
  });
});
