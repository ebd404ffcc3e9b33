import { ModelServerError } from '../src/errors';
import { decodeCsv, decodeJson } from '../src/request-codec';

const values = (x: Float32Array) => Array.from(x, (v) => (Number.isNaN(v) ? null : v));

describe('decodeCsv', () => {
  it('reads one row a line with an empty field as missing', () => {
    const rows = decodeCsv('1,,3\n4,5,\n', 3);

    expect(rows.nRows).toBe(2);
    expect(values(rows.x)).toEqual([1, null, 3, 4, 5, null]);
  });

  it('tolerates CRLF line ends, no trailing newline, spaces around numbers and nan', () => {
    const rows = decodeCsv('1, 2.5 ,nan\r\n-1e-3,+4,.5', 3);

    expect(values(rows.x)).toEqual([1, 2.5, null, Math.fround(-1e-3), 4, 0.5]);
  });

  it('rejects a row with the wrong number of fields, naming the line', () => {
    expect(() => decodeCsv('1,2,3\n1,2\n', 3)).toThrow(/line 2 has 2 fields, the model takes 3/);
  });

  it.each(['abc', '0x1f', 'Infinity', '1.2.3', '--1'])(
    'rejects the non-numeric field %j, naming line and field',
    (field) => {
      const attempt = () => decodeCsv(`1,2\n1,${field}\n`, 2);

      expect(attempt).toThrow(ModelServerError);
      expect(attempt).toThrow(/^line 2, field 2: .* is not a number$/);
    },
  );

  it('rejects a blank line inside the body', () => {
    expect(() => decodeCsv('1,2\n\n3,4\n', 2)).toThrow(/line 2 is empty/);
  });

  it('rejects an empty body', () => {
    expect(() => decodeCsv('\n\n', 2)).toThrow(expect.objectContaining({ code: 'EMPTY_BODY', status: 400 }));
  });
});

describe('decodeJson', () => {
  it('reads an array of rows with null as missing', () => {
    const rows = decodeJson('[[1, null], [3, 4]]', 2);

    expect(values(rows.x)).toEqual([1, null, 3, 4]);
  });

  it('reads a single flat row', () => {
    expect(decodeJson('[1, 2]', 2).nRows).toBe(1);
  });

  it.each([
    ['malformed JSON', '[[1, 2]', /not valid JSON/],
    ['an object', '{"rows": []}', /must be an array of rows/],
    ['a string value', '[[1, "2"]]', /row 1, value 2: "2" is not a number or null/],
    ['a short row', '[[1, 2], [3]]', /row 2 has 1 values, the model takes 2/],
    ['no rows', '[]', /no rows/],
  ])('rejects %s', (_what, body, message) => {
    expect(() => decodeJson(body, 2)).toThrow(message);
  });
});
