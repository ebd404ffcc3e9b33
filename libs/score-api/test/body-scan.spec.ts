import fc from 'fast-check';
import { assertDepth, assertKeysSound } from '../src/body-scan';
import { ApiError } from '../src/errors';

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as ApiError).code;
  }
};

describe('assertDepth', () => {
  it('accepts the depth of both request forms, in bytes and in strings', () => {
    for (const body of ['[[1,null]]', '{"leads":[{"features":{"a":1}}]}']) {
      expect(codeOf(() => assertDepth(body))).toBeUndefined();
      expect(codeOf(() => assertDepth(Buffer.from(body)))).toBeUndefined();
    }
  });

  it('rejects nesting past the limit', () => {
    expect(codeOf(() => assertDepth('['.repeat(17) + ']'.repeat(17)))).toBe('NESTING_TOO_DEEP');
    expect(codeOf(() => assertDepth(Buffer.from('{"a":'.repeat(17))))).toBe('NESTING_TOO_DEEP');
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const body = `{"leads":[{"lead_id":"${'[\\"'.repeat(40)}","features":{}}]}`;
    expect(codeOf(() => assertDepth(body))).toBeUndefined();
    expect(codeOf(() => assertDepth(Buffer.from(body)))).toBeUndefined();
  });
});

describe('assertKeysSound', () => {
  it('accepts the same key in different objects', () => {
    expect(codeOf(() => assertKeysSound('{"leads":[{"features":{"a":1}},{"features":{"a":1}}]}'))).toBeUndefined();
  });

  it('finds a duplicate spelled with a unicode escape', () => {
    expect(codeOf(() => assertKeysSound('{"leads":[],"le\\u0061ds":[]}'))).toBe('DUPLICATE_KEY');
  });

  it('does not mistake string values for keys', () => {
    expect(codeOf(() => assertKeysSound('{"leads":[{"lead_id":"__proto__","features":{"a":"a"}}]}'))).toBeUndefined();
  });

  it('names the row of a duplicate inside a lead but outside its features', () => {
    try {
      assertKeysSound('{"leads":[{"features":{}},{"lead_id":"a","lead_id":"b","features":{}}]}');
      throw new Error('expected DUPLICATE_KEY');
    } catch (err) {
      expect((err as ApiError).details).toEqual([{ row: 1, problem: 'duplicate key "lead_id"' }]);
    }
  });
});

describe('assertDepth against a byte-by-byte reference', () => {
  // The obvious scanner: visit every character, skip strings with their escapes.
  const reference = (s: string): number => {
    let d = 0;
    let max = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '"') {
        for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === '\\') i++;
      } else if (c === '[' || c === '{') max = Math.max(max, ++d);
      else if (c === ']' || c === '}') d--;
    }
    return max;
  };

  it('agrees on random mixes of brackets, quotes and escapes', () => {
    const token = fc.constantFrom('[', ']', '{', '}', '"', '\\', '\\\\', '\\"', 'a', '1', ',');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 80 }), fc.integer({ min: 1, max: 6 }), (tokens, limit) => {
        const s = tokens.join('');
        const expected = reference(s) > limit ? 'NESTING_TOO_DEEP' : undefined;
        expect(codeOf(() => assertDepth(s, limit))).toBe(expected);
        expect(codeOf(() => assertDepth(Buffer.from(s), limit))).toBe(expected);
      }),
      { numRuns: 2000, seed: 99 },
    );
  });
});
