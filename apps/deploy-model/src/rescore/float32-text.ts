const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);
/** 10^e as the nearest double, e from -46 to 39: only used to guess a value's decimal exponent. */
const EXP10 = Float64Array.from({ length: 86 }, (_, i) => Number(`1e${i - 46}`));
const DIGITS = new Uint8Array(12);

/** `a` rounded to `d` significant digits (its decimal exponent is `e`) reads back as the same float32. */
function roundTrips(a: number, e: number, d: number): boolean {
  const k = d - 1 - e;
  const m = Math.round(k >= 0 ? a * POW10[k]! : a / POW10[-k]!);
  return Math.fround(k >= 0 ? m / POW10[k]! : m * POW10[-k]!) === a;
}

/**
 * Writes a float32 value (a prediction, as XGBoost computes it) into `buf` at `at` as the shortest decimal that
 * reads back as the same float32, the way numpy prints one (`0.22992563`, not the double's `0.22992563247680664`),
 * and returns where it ends; -1 when `v` is not a finite float32 or its scale leaves exact powers of ten (below
 * about 1e-14, above 1e22): the caller then prints String(v). `buf` needs 32 free bytes.
 * String(v) cost about 175 ns a value and kept V8's number-string cache promoting strings: with five
 * probabilities per lead it was the CSV encoder's largest cost and most of a worker's garbage collection.
 *
 * @example formatFloat32(Math.fround(0.1), buf, 0) // 3, buf holds "0.1"
 */
export function formatFloat32(v: number, buf: Uint8Array, at: number): number {
  if (v === 0) {
    buf[at] = 0x30;
    return at + 1;
  }
  const a = v < 0 ? -v : v;
  if (!(a < Infinity) || Math.fround(a) !== a) return -1;
  // Most predictions are probabilities above 0.001: three comparisons instead of a logarithm.
  let e = a >= 0.1 && a < 1 ? -1 : a >= 0.01 && a < 0.1 ? -2 : a >= 0.001 && a < 0.01 ? -3 : Math.floor(Math.log10(a));
  if (e < -45 || e > 38) return -1;
  if (a < EXP10[e + 46]!) e--;
  else if (a >= EXP10[e + 47]!) e++;
  // Scales 10^k with |k| <= 22 only: those powers of ten are exact doubles.
  if (e < -14 || e > 22) return -1;
  // Whether d significant digits round-trip only grows with d, and 9 always do. Most float32s need 8 or 9, so
  // 8 is tried first, then 7; fewer are found by bisection.
  let d = 9;
  if (roundTrips(a, e, 8)) {
    d = 8;
    if (roundTrips(a, e, 7)) {
      let lo = 1;
      let hi = 7;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (roundTrips(a, e, mid)) hi = mid;
        else lo = mid + 1;
      }
      d = lo;
    }
  }
  let k = d - 1 - e;
  let m = Math.round(k >= 0 ? a * POW10[k]! : a / POW10[-k]!);
  while (m % 10 === 0 && k > -22) {
    m /= 10;
    k--;
  }
  let n = 0;
  if (m < 2147483648) {
    // Integer division on int32: the common case, a probability's 1 to 9 digits.
    for (let q = m | 0; q > 0;) {
      const next = (q / 10) | 0;
      DIGITS[n++] = 0x30 + q - next * 10;
      q = next;
    }
  } else for (; m > 0; m = Math.floor(m / 10)) DIGITS[n++] = 0x30 + (m % 10);
  if (v < 0) buf[at++] = 0x2d;
  if (k <= 0) {
    for (let i = n - 1; i >= 0; i--) buf[at++] = DIGITS[i]!;
    for (let i = 0; i < -k; i++) buf[at++] = 0x30;
  } else if (n <= k) {
    buf[at++] = 0x30;
    buf[at++] = 0x2e;
    for (let i = 0; i < k - n; i++) buf[at++] = 0x30;
    for (let i = n - 1; i >= 0; i--) buf[at++] = DIGITS[i]!;
  } else {
    for (let i = n - 1; i >= 0; i--) {
      buf[at++] = DIGITS[i]!;
      if (i === k) buf[at++] = 0x2e;
    }
  }
  return at;
}
