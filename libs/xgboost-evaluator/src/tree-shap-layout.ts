import { gaussLegendre } from './gauss-legendre';
import type { ModelSpec, TreeSpec } from './model-spec';

/** Quadrature points per pass: one f32x4 (a WebAssembly v128). Deeper trees take more passes. */
export const LANES = 4;
/** Int32 words per internal-node record: slot, threshold, parent, child, previous edge, feature. */
export const RECORD = 6;
/** Floats per internal node and pass: (R, G) × (left, right) × (neutral, cold, hot) × LANES. */
export const TABLE = 48;

/**
 * Every tree flattened for the quadrature TreeSHAP kernels (see docs/adr/0005-treeshap-quadrature-kernel.md).
 *
 * The contribution of a path's feature i to leaf l is `v_l·W_l·∫₀¹ C_l(t)·α_i/(1+α_i·t) dt`, where W_l is the
 * product of the path's cover ratios z and `C_l(t) = Π_j (1 + α_j·t)` over the path's distinct features,
 * `α_j = o_j/Z_j − 1` (Z_j the product of feature j's cover ratios on the path, o_j = 1 when the row follows
 * every one of its edges). The integrand is a polynomial of degree below the path's distinct features, so
 * Gauss-Legendre quadrature with `points ≥ depth / 2` nodes is exact. A walk keeps C top-down per node and the
 * leaf sums `H = Σ v_l·W_l·C_l` bottom-up; a repeated feature's edge adds `g(α_new) − g(α_old)` with
 * g(α) = α/(1+α·t), so a path's repeats telescope to its deepest one. Each edge has three cases, all
 * row-independent and tabulated here: the row follows it (hot), does not (cold), or already left an earlier
 * edge of the same feature (neutral: factor 1, contribution 0).
 *
 * Nodes are numbered breadth-first per tree, children adjacent, so a forward sweep over the records meets
 * parents first and a backward sweep children first. Offsets are in bytes, as the WebAssembly kernel reads them.
 */
export interface ShapLayout {
  readonly numFeatures: number;
  readonly numGroups: number;
  /** Quadrature points; a multiple of LANES. */
  readonly points: number;
  /** Kernel passes per row and tree: points / LANES. */
  readonly passes: number;
  /** Per kernel tree, 4 words: first record, end record (indices into `records` / RECORD), first table (internal-node index), 0. */
  readonly directory: Int32Array;
  /** Kernel trees of group g are [groupStart[g], groupStart[g + 1]): grouped, in model order within a group. */
  readonly groupStart: Int32Array;
  /** RECORD words per internal node: slot·4, threshold (float32 bits), parent·16, left child·16, previous·4, feature·16. */
  readonly records: Int32Array;
  /** `passes` blocks of `internal × TABLE` floats: per internal node R (factor of C) then G (weight · Δg). */
  readonly tables: Float32Array;
  /** Per group: Σ over its trees of tree weight × expected value (the bias column, without the base margin). */
  readonly bias: Float64Array;
  /** Nodes of the largest tree: the kernels' per-node scratch. */
  readonly maxNodes: number;
  /** Internal nodes of the largest tree. */
  readonly maxInternal: number;
}

/** XGBoost's `BranchWeight`: a child's share of its parent's cover, kept off 0 so every path stays reachable. */
function branchWeight(cover: number, parentCover: number): number {
  if (!(parentCover > 0)) return 0.5;
  const w = cover / parentCover;
  return w < 1e-12 ? 1e-12 : w;
}

interface FlatTree {
  /** Original node id of each breadth-first node. */
  order: Int32Array;
  parent: Int32Array;
  /** Breadth-first id of the left child, -1 for a leaf. */
  left: Int32Array;
  size: number;
  internal: number;
  /** Most distinct features on one root-to-leaf path. */
  distinct: number;
}

function flatten(tree: TreeSpec): FlatTree {
  const order = new Int32Array(tree.numNodes);
  const parent = new Int32Array(tree.numNodes).fill(-1);
  const left = new Int32Array(tree.numNodes).fill(-1);
  let tail = 1;
  let internal = 0;
  for (let head = 0; head < tail; head++) {
    const l = tree.left[order[head]!]!;
    if (l === -1) continue;
    internal++;
    left[head] = tail;
    order[tail] = l;
    order[tail + 1] = tree.right[order[head]!]!;
    parent[tail] = parent[tail + 1] = head;
    tail += 2;
  }
  let distinct = 0;
  for (let n = 0; n < tail; n++) {
    if (left[n] !== -1) continue;
    const seen = new Set<number>();
    for (let a = n; parent[a] !== -1; a = parent[a]!) seen.add(tree.splitIndex[order[parent[a]!]!]!);
    distinct = Math.max(distinct, seen.size);
  }
  return { order, parent, left, size: tail, internal, distinct };
}

/** The nearest edge above `node` (named by its lower node) whose split is on `feature`, or -1. */
function previousEdge(flat: FlatTree, tree: TreeSpec, node: number, feature: number): number {
  for (let a = node; flat.parent[a] !== -1; a = flat.parent[a]!) {
    if (tree.splitIndex[flat.order[flat.parent[a]!]!] === feature) return a;
  }
  return -1;
}

/**
 * One child edge's table entries for one pass: R (the factor of C) at `at`, G (quadrature weight × Δg) at
 * `at + 24`, each neutral (the row left an earlier edge of this feature), cold, hot. `scale` is v·W at a leaf.
 */
function writeEdge(
  tables: Float32Array,
  at: number,
  rule: { nodes: Float64Array; weights: Float64Array },
  pass: number,
  edge: { scale: number; alphaOld: number; alphaHot: number },
): void {
  const { scale, alphaOld, alphaHot } = edge;
  for (let lane = 0; lane < LANES; lane++) {
    const t = rule.nodes[pass * LANES + lane]!;
    const w = rule.weights[pass * LANES + lane]!;
    const old = 1 + alphaOld * t;
    tables[at + lane] = scale;
    tables[at + 4 + lane] = (scale * (1 - t)) / old;
    tables[at + 8 + lane] = (scale * (1 + alphaHot * t)) / old;
    tables[at + 24 + lane] = 0;
    tables[at + 28 + lane] = w * (-1 / (1 - t) - alphaOld / old);
    tables[at + 32 + lane] = w * (alphaHot / (1 + alphaHot * t) - alphaOld / old);
  }
}

/** Flattens a model's trees for the quadrature TreeSHAP kernels. */
export function buildShapLayout(spec: ModelSpec): ShapLayout {
  const F = spec.numFeatures;
  const G = spec.numGroups;
  const flats = spec.trees.map(flatten);
  let totalInternal = 0;
  let maxNodes = 1;
  let maxInternal = 0;
  let distinct = 0;
  for (const f of flats) {
    totalInternal += f.internal;
    maxNodes = Math.max(maxNodes, f.size);
    maxInternal = Math.max(maxInternal, f.internal);
    distinct = Math.max(distinct, f.distinct);
  }
  const points = LANES * Math.max(1, Math.ceil(distinct / 2 / LANES));
  const passes = points / LANES;
  const rule = gaussLegendre(points);
  const buffer = new ArrayBuffer(totalInternal * RECORD * 4);
  const records = new Int32Array(buffer);
  const thresholds = new Float32Array(buffer);
  const tables = new Float32Array(passes * totalInternal * TABLE);
  const directory = new Int32Array(spec.trees.length * 4);
  const groupStart = new Int32Array(G + 1);
  const bias = new Float64Array(G);
  const kernelOrder = spec.trees.map((_, t) => t).sort((a, b) => spec.treeGroup[a]! - spec.treeGroup[b]! || a - b);
  for (const t of kernelOrder) groupStart[spec.treeGroup[t]! + 1]!++;
  for (let g = 0; g < G; g++) groupStart[g + 1]! += groupStart[g]!;

  let k = 0;
  kernelOrder.forEach((t, slot) => {
    const tree = spec.trees[t]!;
    const flat = flats[t]!;
    const weight = spec.treeWeights ? spec.treeWeights[t]! : 1;
    const cover = (n: number) => tree.sumHessian[flat.order[n]!]!;
    directory.set([k, k + flat.internal, k, 0], slot * 4);
    // W: product of cover ratios from the root; Z: product of the ratios of the node's own feature so far.
    const pathWeight = new Float64Array(flat.size);
    const featureWeight = new Float64Array(flat.size);
    pathWeight[0] = 1;
    for (let n = 0; n < flat.size; n++) {
      const c = flat.left[n]!;
      if (c === -1) {
        bias[spec.treeGroup[t]!]! += weight * tree.splitCondition[flat.order[n]!]! * pathWeight[n]!;
        continue;
      }
      const orig = flat.order[n]!;
      const feature = tree.splitIndex[orig]!;
      const prev = previousEdge(flat, tree, n, feature);
      const slotIndex = Number(tree.defaultLeft[orig]) !== 0 ? feature : F + feature;
      records.set([slotIndex * 4, 0, n * 16, c * 16, (prev === -1 ? maxNodes : prev) * 4, feature * 16], k * RECORD);
      thresholds[k * RECORD + 1] = tree.splitCondition[orig]!;
      const zOld = prev === -1 ? 1 : featureWeight[prev]!;
      const alphaOld = prev === -1 ? 0 : 1 / zOld - 1;
      for (let side = 0; side < 2; side++) {
        const child = c + side;
        const z = branchWeight(cover(child), cover(n));
        pathWeight[child] = pathWeight[n]! * z;
        featureWeight[child] = zOld * z;
        const isLeaf = flat.left[child] === -1;
        const scale = isLeaf ? weight * tree.splitCondition[flat.order[child]!]! * pathWeight[child]! : 1;
        const edge = { scale, alphaOld, alphaHot: 1 / featureWeight[child]! - 1 };
        for (let pass = 0; pass < passes; pass++)
          writeEdge(tables, (pass * totalInternal + k) * TABLE + side * 12, rule, pass, edge);
      }
      k++;
    }
  });
  return {
    numFeatures: F,
    numGroups: G,
    points,
    passes,
    directory,
    groupStart,
    records,
    tables,
    bias,
    maxNodes,
    maxInternal,
  };
}
