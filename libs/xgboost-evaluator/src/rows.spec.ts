import { EvaluatorError } from './errors';
import { rowsToFloat32 } from './rows';

describe('rowsToFloat32', () => {
  it('packs rows row-major and turns null into NaN', () => {
    expect(
      Array.from(
        rowsToFloat32(
          [
            [1, null],
            [3, 4],
          ],
          2,
        ),
      ),
    ).toEqual([1, NaN, 3, 4]);
  });

  it('rounds values to float32 as XGBoost does', () => {
    expect(rowsToFloat32([[0.1]], 1)[0]).toBe(Math.fround(0.1));
  });

  it('rejects a row with the wrong number of values', () => {
    expect(() => rowsToFloat32([[1, 2, 3]], 2)).toThrow(EvaluatorError);
    expect(() => rowsToFloat32([[1, 2, 3]], 2)).toThrow(/row 0: expected 2 values, got 3/);
  });
});
