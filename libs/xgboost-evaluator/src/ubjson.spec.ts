import { EvaluatorError } from './errors';
import { decodeUbjson } from './ubjson';

const enc = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('decodeUbjson', () => {
  it('decodes scalars, strings, objects and mixed arrays', () => {
    const bytes = enc(
      '{',
      'i',
      [1],
      'a',
      'S',
      'i',
      [2],
      'hi',
      'i',
      [1],
      'b',
      '[',
      'T',
      'F',
      'Z',
      'i',
      [0xff],
      ']',
      '}',
    );
    expect(decodeUbjson(bytes)).toEqual({ a: 'hi', b: [true, false, null, -1] });
  });

  it('decodes strongly typed float32 and int32 arrays as typed arrays (big-endian)', () => {
    const bytes = enc('[', '$', 'd', '#', 'i', [2], [0x3f, 0x80, 0, 0], [0xc0, 0, 0, 0]);
    expect(Array.from(decodeUbjson(bytes) as Float32Array)).toEqual([1, -2]);
    const ints = enc('[', '$', 'l', '#', 'i', [1], [0, 0, 1, 0]);
    expect(Array.from(decodeUbjson(ints) as Int32Array)).toEqual([256]);
  });

  it('rejects truncated input with a parse error', () => {
    expect(() => decodeUbjson(enc('[', '$', 'd', '#', 'i', [4], [0, 0]))).toThrow(EvaluatorError);
    expect(() => decodeUbjson(enc('{', 'i', [1]))).toThrow(/truncated/);
  });

  it('rejects unknown markers and pathological nesting instead of overflowing the stack', () => {
    expect(() => decodeUbjson(enc('q'))).toThrow(/unknown type marker/);
    expect(() => decodeUbjson(enc('['.repeat(10_000)))).toThrow(/nesting too deep/);
  });
});
