import { encodeCsvRows, parseCsvPredictions } from '../src/csv-codec';
import { ScoringError } from '../src/errors';

describe('encodeCsvRows', () => {
  it('writes one line per row with an empty field for a missing value', () => {
    const x = new Float32Array([1, NaN, 0.5, 3, 4, NaN]);

    expect(encodeCsvRows(x, 2, 3)).toBe('1,,0.5\n3,4,\n');
  });

  it('writes float32 values that parse back to the very same float32', () => {
    const x = new Float32Array([0.1, 1 / 3, 123456.789, -2.5e-7]);

    const back = encodeCsvRows(x, 1, 4).trim().split(',').map(Number);

    expect(Array.from(new Float32Array(back))).toEqual(Array.from(x));
  });
});

describe('parseCsvPredictions', () => {
  it('reads one line per row, several values per line, CRLF and a trailing newline included', () => {
    expect(Array.from(parseCsvPredictions('0.1,0.9\r\n0.7,0.3\r\n', 2, 2))).toEqual([0.1, 0.9, 0.7, 0.3]);
  });

  it('rejects an answer with fewer lines than rows', () => {
    expect(() => parseCsvPredictions('0.5\n', 2, 1)).toThrow(/expected 2 lines, got 1/);
  });

  it('rejects a line with the wrong number of values', () => {
    expect(() => parseCsvPredictions('0.5,0.5\n', 1, 5)).toThrow(/2 values, expected 5/);
  });

  it('rejects garbage as UPSTREAM_BAD_RESPONSE', () => {
    const attempt = () => parseCsvPredictions('<html>oops</html>\n', 1, 1);

    expect(attempt).toThrow(ScoringError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'UPSTREAM_BAD_RESPONSE', status: 502 }));
  });
});
