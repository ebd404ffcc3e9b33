import { envInt } from '../src/index';

describe('envInt', () => {
  it('reads a whole number within its range', () => {
    expect(envInt(1, 10).parse('7')).toBe(7);
  });

  it.each(['1e3', '0x10', ' 5', '2.0', '-1', ''])('refuses %j as not a whole number', (text) => {
    expect(envInt(0, 10_000).safeParse(text).success).toBe(false);
  });

  it('refuses a whole number outside its range', () => {
    expect(envInt(1, 10).safeParse('11').success).toBe(false);
    expect(envInt(1, 10).safeParse('0').success).toBe(false);
  });
});
