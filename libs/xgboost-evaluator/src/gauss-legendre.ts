/**
 * Gauss-Legendre nodes and weights on [0, 1]: `Σ weights[q] · p(nodes[q])` equals `∫₀¹ p(t) dt` exactly
 * for every polynomial p of degree below `2 · n`. All nodes lie strictly inside (0, 1).
 *
 * @example gaussLegendre(1) // { nodes: Float64Array [0.5], weights: Float64Array [1] }
 */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Newton's method on P_n from the usual first guess for the i-th root in [-1, 1].
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 1;
    for (let iter = 0; iter < 100; iter++) {
      const [p, previous] = legendre(n, x);
      derivative = (n * (x * p - previous)) / (x * x - 1);
      const dx = p / derivative;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    const [p, previous] = legendre(n, x);
    derivative = (n * (x * p - previous)) / (x * x - 1);
    // Map [-1, 1] onto [0, 1]: the nodes halve around 1/2, the weights halve.
    nodes[i] = (1 - x) / 2;
    weights[i] = 1 / ((1 - x * x) * derivative * derivative);
  }
  return { nodes, weights };
}

/** [P_n(x), P_{n-1}(x)] by the three-term recurrence. */
function legendre(n: number, x: number): [number, number] {
  let previous = 1;
  let p = x;
  if (n === 0) return [1, 0];
  for (let k = 2; k <= n; k++) {
    const next = ((2 * k - 1) * x * p - (k - 1) * previous) / k;
    previous = p;
    p = next;
  }
  return [p, previous];
}
