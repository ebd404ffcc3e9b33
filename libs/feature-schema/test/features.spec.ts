import { FEATURE_INDEX, FEATURE_NAMES, FEATURES, NUM_FEATURES } from '../src/index';

describe('feature manifest', () => {
  it('lists exactly 50 features with unique snake_case names', () => {
    const names = FEATURES.map((s) => s.name);

    expect(FEATURES).toHaveLength(NUM_FEATURES);
    expect(NUM_FEATURES).toBe(50);
    expect(new Set(names).size).toBe(50);
    for (const name of names) expect(/^[a-z][a-z0-9_]*[a-z0-9]$/.test(name) && !name.includes('__')).toBe(true);
  });

  it('keeps FEATURE_NAMES and FEATURE_INDEX in manifest order', () => {
    FEATURES.forEach((spec, i) => {
      expect(FEATURE_NAMES[i]).toBe(spec.name);
      expect(FEATURE_INDEX.get(spec.name)).toBe(i);
    });
    expect(FEATURE_INDEX.size).toBe(50);
  });

  it('gives every feature a description, a unit and a non-empty range', () => {
    for (const spec of FEATURES) {
      expect(spec.description.length).toBeGreaterThan(10);
      expect(spec.unit.length).toBeGreaterThan(0);
      expect(spec.min).toBeLessThan(spec.max);
      if (spec.integer) expect(Number.isInteger(spec.min) && Number.isInteger(spec.max)).toBe(true);
    }
  });

  it('makes flags whole numbers from 0 to 1 and recency features whole days', () => {
    for (const spec of FEATURES.filter((s) => s.kind === 'flag')) {
      expect([spec.min, spec.max, spec.integer]).toEqual([0, 1, true]);
    }
    const days = FEATURES.filter((s) => s.kind === 'days');
    expect(days.length).toBeGreaterThanOrEqual(3);
    for (const spec of days) expect(spec.integer && spec.allowMissing).toBe(true);
  });

  it('covers the B2B signal families the model needs', () => {
    for (const name of [
      'company_employees',
      'web_visits_30d',
      'email_clicks_30d',
      'form_fills_90d',
      'demo_requested',
      'days_since_last_visit',
      'campaign_touches_90d',
      'intent_score',
      'is_decision_maker',
      'has_budget_flag',
      'existing_customer',
      'opportunity_count',
    ]) {
      expect(FEATURE_INDEX.has(name)).toBe(true);
    }
  });

  it('cannot be modified at run time', () => {
    expect(Object.isFrozen(FEATURES)).toBe(true);
    expect(Object.isFrozen(FEATURE_NAMES)).toBe(true);
  });
});
