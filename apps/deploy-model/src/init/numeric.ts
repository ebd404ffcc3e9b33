// Characters of a plain decimal number; Number() then refuses what is malformed ('1e', '+-1', '.').
const NOT_DECIMAL = /[^0-9eE.+-]/;

/**
 * A plain decimal number (sign, digits, point, exponent), else `undefined`: unlike Number(), no '0x1F',
 * 'Infinity' or '' (as 0).
 *
 * @example parseDecimal('-1.5e3') // -1500
 */
export function parseDecimal(text: string): number | undefined {
  if (text === '' || NOT_DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * numpy's default quantile (method "linear", Hyndman & Fan type 7) of ascending `sorted` values at `q`,
 * computed the way numpy 1.24 does it so the edges match tools/demo-model/train_demo.py bit for bit.
 *
 * @example linearQuantile(Float64Array.of(1, 2, 3, 4), 0.5) // 2.5
 */
export function linearQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const at = (i: number): number => sorted[i] ?? Number.NaN;
  const virtual = (n - 1) * q;
  if (virtual >= n - 1) return at(n - 1);
  const lo = Math.floor(virtual);
  const gamma = virtual - lo;
  const a = at(lo);
  const b = at(lo + 1);
  const diff = b - a;
  // numpy's _lerp interpolates from the nearer end, which keeps the result within [a, b] in floating point.
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/**
 * Python's `round(x, 6)`: the nearest 6-decimal value, an exact tie going to the even digit.
 *
 * @example round6(0.0078125) // 0.007812 (Python's round; toFixed would give 0.007813)
 */
export function round6(x: number): number {
  if (!Number.isFinite(x)) return x;
  const fixed = Number(x.toFixed(6));
  // toFixed(100) is the exact decimal expansion of any double this side of 1e-80; a tie shows as 5 then zeros.
  const exact = Math.abs(x).toFixed(100);
  const tail = exact.slice(exact.indexOf('.') + 7);
  if (!/^50*$/.test(tail)) return fixed;
  const truncated = Math.trunc(Math.abs(x) * 1e6);
  const down = (truncated % 2 === 0 ? truncated : truncated + 1) / 1e6;
  return Math.sign(x) * down;
}

/**
 * The shortest decimal that reads back as the same float32 as `x`, as numpy's
 * `format_float_positional(np.float32(x), unique=True)`: what XGBoost and the evaluator both see.
 *
 * @example shortestFloat32(0.1) // 0.1 (not 0.10000000149011612)
 */
export function shortestFloat32(x: number): number {
  const f = Math.fround(x);
  if (!Number.isFinite(f) || Number.isInteger(f)) return f;
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return Number(f.toPrecision(9));
}
