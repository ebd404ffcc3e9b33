import { DeployError } from '../src/errors';
import { checkRowLengths, parseCsvRows, parseJsonRows } from '../src/predict/read-rows';

describe('reading rows', () => {
  it('reads null in JSON as missing', () => {
    expect(parseJsonRows('[[1, null, 2.5]]')).toEqual([[1, null, 2.5]]);
  });

  it('reads an empty CSV field as missing and ignores the trailing newline and CRLF', () => {
    expect(parseCsvRows('1,,3\r\n,2,\n')).toEqual([
      [1, null, 3],
      [null, 2, null],
    ]);
  });

  it.each([
    ['{"a": 1}', /JSON array of rows/],
    ['[1, 2]', /row 0 is not an array/],
    ['[[1, "2"]]', /row 0, column 1 is "2"/],
  ])('rejects the JSON %s', (text, message) => {
    expect(() => parseJsonRows(text)).toThrow(message);
  });

  it('rejects rows whose length differs from the model, naming the row', () => {
    const act = (): void => checkRowLengths([[1, 2], [1]], 2);
    expect(act).toThrow(DeployError);
    expect(act).toThrow(/row 1 has 1 values; the model expects 2/);
  });
});
