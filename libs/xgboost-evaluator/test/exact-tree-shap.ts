import type { ModelSpec, TreeSpec } from '../src/model-spec';

// The reference the quadrature TreeSHAP is tested against (test/tree-shap.spec.ts): the classic algorithm,
// O(leaves · depth²) per tree and row, in float64.

/**
 * Exact TreeSHAP (Lundberg et al., Algorithm 2) as XGBoost's `RegTree::CalculateContributions`
 * computes it for `predict(pred_contribs=True)`: node covers are the trees' `sum_hessian`,
 * the path weights are float32 in XGBoost (we keep doubles: the differences stay far below 1e-6),
 * and the expected value of each tree is added to the bias column of its group. XGBoost >= 3.3
 * approximates the same values on the CPU by 8-point quadrature in float32 (QuadratureTreeSHAP);
 * its 3.4.1 fixtures, depth 10 included, agree with ours within 1e-5.
 */
export class ExactTreeShap {
  /** Per tree: the mean leaf value under each node, weighted by cover. */
  private readonly meanValues: Float64Array[];
  /** Path scratch, reused across calls: one frame per depth, (depth+1)(depth+2)/2 entries. */
  private readonly feature: Int32Array;
  private readonly zero: Float64Array;
  private readonly one: Float64Array;
  private readonly weight: Float64Array;
  private readonly treePhi: Float64Array;

  constructor(private readonly spec: ModelSpec) {
    this.meanValues = spec.trees.map((t) => nodeMeanValues(t));
    let maxDepth = 0;
    for (const t of spec.trees) maxDepth = Math.max(maxDepth, treeDepth(t));
    const size = ((maxDepth + 2) * (maxDepth + 3)) / 2;
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
    this.treePhi = new Float64Array(spec.numFeatures + 1);
  }

  /**
   * Writes contributions of one row (`x[xOff ..]`, float32 values, NaN = missing) to
   * `out[oOff ..]`: `numGroups` blocks of `numFeatures + 1`, bias last, starting from `baseMargins[g]`.
   */
  explain(x: ArrayLike<number>, xOff: number, baseMargins: ArrayLike<number>, out: Float64Array, oOff: number): void {
    const { numFeatures: F, numGroups: G, trees, treeGroup, treeWeights } = this.spec;
    const width = F + 1;
    out.fill(0, oOff, oOff + G * width);
    // Each group's bias starts from its own base margin, so the contributions of a group add up to
    // that group's margin. XGBoost 3.1.0 alone added group 0's to every group (fixed in 3.1.x).
    for (let g = 0; g < G; g++) out[oOff + g * width + F] = baseMargins[g]!;
    const phi = this.treePhi;
    for (let t = 0; t < trees.length; t++) {
      phi.fill(0);
      const tree = trees[t]!;
      phi[F] = this.meanValues[t]![0]!;
      this.walk(tree, x, xOff, 0, 0, 0, 1, 1, -1);
      const w = treeWeights ? treeWeights[t]! : 1;
      const o = oOff + treeGroup[t]! * width;
      for (let i = 0; i < width; i++) out[o + i] = out[o + i]! + phi[i]! * w;
    }
  }

  private extend(p: number, depth: number, zeroFraction: number, oneFraction: number, featureIndex: number): void {
    const { feature, zero, one, weight } = this;
    feature[p + depth] = featureIndex;
    zero[p + depth] = zeroFraction;
    one[p + depth] = oneFraction;
    weight[p + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      weight[p + i + 1] = weight[p + i + 1]! + (oneFraction * weight[p + i]! * (i + 1)) / (depth + 1);
      weight[p + i] = (zeroFraction * weight[p + i]! * (depth - i)) / (depth + 1);
    }
  }

  private unwind(p: number, depth: number, pathIndex: number): void {
    const { feature, zero, one, weight } = this;
    const oneFraction = one[p + pathIndex]!;
    const zeroFraction = zero[p + pathIndex]!;
    let nextOne = weight[p + depth]!;
    for (let i = depth - 1; i >= 0; i--) {
      if (oneFraction !== 0) {
        const tmp = weight[p + i]!;
        weight[p + i] = (nextOne * (depth + 1)) / ((i + 1) * oneFraction);
        nextOne = tmp - (weight[p + i]! * zeroFraction * (depth - i)) / (depth + 1);
      } else {
        weight[p + i] = (weight[p + i]! * (depth + 1)) / (zeroFraction * (depth - i));
      }
    }
    for (let i = pathIndex; i < depth; i++) {
      feature[p + i] = feature[p + i + 1]!;
      zero[p + i] = zero[p + i + 1]!;
      one[p + i] = one[p + i + 1]!;
    }
  }

  private unwoundSum(p: number, depth: number, pathIndex: number): number {
    const { zero, one, weight } = this;
    const oneFraction = one[p + pathIndex]!;
    const zeroFraction = zero[p + pathIndex]!;
    let nextOne = weight[p + depth]!;
    let total = 0;
    for (let i = depth - 1; i >= 0; i--) {
      if (oneFraction !== 0) {
        const tmp = (nextOne * (depth + 1)) / ((i + 1) * oneFraction);
        total += tmp;
        nextOne = weight[p + i]! - tmp * zeroFraction * ((depth - i) / (depth + 1));
      } else if (zeroFraction !== 0) {
        total += weight[p + i]! / zeroFraction / ((depth - i) / (depth + 1));
      }
    }
    return total;
  }

  // Recursion mirrors XGBoost's TreeShap; `parent` is the offset of the parent's path frame.
  private walk(
    tree: TreeSpec,
    x: ArrayLike<number>,
    xOff: number,
    node: number,
    parent: number,
    depth: number,
    parentZero: number,
    parentOne: number,
    parentFeature: number,
  ): void {
    const { feature, zero, one, weight } = this;
    const p = parent + depth + 1;
    for (let i = 0; i < depth + 1; i++) {
      feature[p + i] = feature[parent + i]!;
      zero[p + i] = zero[parent + i]!;
      one[p + i] = one[parent + i]!;
      weight[p + i] = weight[parent + i]!;
    }
    this.extend(p, depth, parentZero, parentOne, parentFeature);
    const l = tree.left[node]!;
    if (l === -1) {
      const leaf = tree.splitCondition[node]!;
      for (let i = 1; i <= depth; i++) {
        const w = this.unwoundSum(p, depth, i);
        const f = feature[p + i]!;
        this.treePhi[f] = this.treePhi[f]! + w * (one[p + i]! - zero[p + i]!) * leaf;
      }
      return;
    }
    const r = tree.right[node]!;
    const split = tree.splitIndex[node]!;
    const v = Math.fround(x[xOff + split]!);
    const hot = v !== v ? (Number(tree.defaultLeft[node]) !== 0 ? l : r) : v < tree.splitCondition[node]! ? l : r;
    const cold = hot === l ? r : l;
    const cover = tree.sumHessian[node]!;
    const hotZero = tree.sumHessian[hot]! / cover;
    const coldZero = tree.sumHessian[cold]! / cover;
    let incomingZero = 1;
    let incomingOne = 1;
    let pathIndex = 0;
    while (pathIndex <= depth && feature[p + pathIndex] !== split) pathIndex++;
    let d = depth;
    if (pathIndex !== depth + 1) {
      incomingZero = zero[p + pathIndex]!;
      incomingOne = one[p + pathIndex]!;
      this.unwind(p, d, pathIndex);
      d -= 1;
    }
    this.walk(tree, x, xOff, hot, p, d + 1, hotZero * incomingZero, incomingOne, split);
    this.walk(tree, x, xOff, cold, p, d + 1, coldZero * incomingZero, 0, split);
  }
}

function nodeMeanValues(tree: TreeSpec): Float64Array {
  const mean = new Float64Array(tree.numNodes);
  // Children always have larger ids than their parent, so a reverse sweep sees children first.
  for (let n = tree.numNodes - 1; n >= 0; n--) {
    const l = tree.left[n]!;
    if (l === -1) {
      mean[n] = tree.splitCondition[n]!;
    } else {
      const r = tree.right[n]!;
      mean[n] = (mean[l]! * tree.sumHessian[l]! + mean[r]! * tree.sumHessian[r]!) / tree.sumHessian[n]!;
    }
  }
  return mean;
}

function treeDepth(tree: TreeSpec): number {
  const depth = new Int32Array(tree.numNodes);
  let max = 0;
  for (let n = 0; n < tree.numNodes; n++) {
    const l = tree.left[n]!;
    if (l === -1) continue;
    depth[l] = depth[tree.right[n]!] = depth[n]! + 1;
    max = Math.max(max, depth[n]! + 1);
  }
  return max;
}
