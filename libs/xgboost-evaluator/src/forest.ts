import { EvaluatorError, EvaluatorErrorCode } from './errors';
import type { ModelSpec } from './model-spec';

/**
 * All trees packed into flat typed arrays, nodes renumbered breadth-first so that the two
 * children of a node are adjacent: `next = (meta[n] >> SLOT_BITS) + (goRight ? 1 : 0)`.
 *
 * Missing values cost no branch: each input row is expanded to 2F slots, the first F with
 * NaN → -Infinity (always goes left), the second F with NaN → +Infinity (always goes right),
 * and a node's `slot` points into the half matching its default direction. A leaf points to
 * itself with a NaN threshold (`v >= NaN` is false), so every tree can be walked a fixed number
 * of levels without checking for leaves.
 */
/** Bits of `meta` that hold the input slot (2 × numFeatures slots must fit). */
export const SLOT_BITS = 12;
export const SLOT_MASK = (1 << SLOT_BITS) - 1;

export interface Forest {
  readonly numFeatures: number;
  readonly numGroups: number;
  readonly numTrees: number;
  /** Per node: `left << SLOT_BITS | slot`, one load for both (left child id, input slot). */
  readonly meta: Int32Array;
  readonly threshold: Float32Array;
  readonly leafValue: Float32Array;
  readonly root: Int32Array;
  readonly depth: Int32Array;
  readonly group: Int32Array;
  readonly maxDepth: number;
  /** Nodes actually packed (unreachable, deleted nodes of a tree are left out). */
  readonly totalNodes: number;
}

/** Packs the trees of a model spec into a {@link Forest}. */
export function buildForest(spec: ModelSpec): Forest {
  let total = 0;
  for (const t of spec.trees) total += t.numNodes;
  const F = spec.numFeatures;
  if (2 * spec.numFeatures > SLOT_MASK + 1) {
    throw new EvaluatorError(
      EvaluatorErrorCode.INVALID,
      `Unsupported model: ${spec.numFeatures} features (at most ${(SLOT_MASK + 1) / 2})`,
    );
  }
  if (total >= 2 ** (31 - SLOT_BITS)) {
    throw new EvaluatorError(
      EvaluatorErrorCode.INVALID,
      `Unsupported model: ${total} nodes (at most ${2 ** (31 - SLOT_BITS) - 1})`,
    );
  }
  const slot = new Int32Array(total);
  const threshold = new Float32Array(total);
  const left = new Int32Array(total);
  const leafValue = new Float32Array(total);
  const root = new Int32Array(spec.trees.length);
  const depth = new Int32Array(spec.trees.length);
  const queue = new Int32Array(Math.max(1, ...spec.trees.map((t) => t.numNodes)));
  const level = new Int32Array(queue.length);
  let next = 0;
  let maxDepth = 0;
  spec.trees.forEach((tree, ti) => {
    const weight = spec.treeWeights ? spec.treeWeights[ti]! : 1;
    const base = next;
    root[ti] = base;
    // Breadth-first: queue[k] is the original id of packed node base + k.
    queue[0] = 0;
    level[0] = 0;
    let head = 0;
    let tail = 1;
    let treeDepth = 0;
    while (head < tail) {
      const orig = queue[head]!;
      const id = base + head;
      const l = tree.left[orig]!;
      if (l === -1) {
        slot[id] = 0;
        threshold[id] = NaN;
        left[id] = id;
        leafValue[id] = weight === 1 ? tree.splitCondition[orig]! : Math.fround(weight * tree.splitCondition[orig]!);
      } else {
        const f = tree.splitIndex[orig]!;
        const defaultLeft = Number(tree.defaultLeft[orig]) !== 0;
        slot[id] = defaultLeft ? f : F + f;
        threshold[id] = tree.splitCondition[orig]!;
        left[id] = base + tail;
        queue[tail] = l;
        queue[tail + 1] = tree.right[orig]!;
        level[tail] = level[tail + 1] = level[head]! + 1;
        treeDepth = Math.max(treeDepth, level[head]! + 1);
        tail += 2;
      }
      head++;
    }
    depth[ti] = treeDepth;
    maxDepth = Math.max(maxDepth, treeDepth);
    next += tail;
  });
  return {
    numFeatures: F,
    numGroups: spec.numGroups,
    numTrees: spec.trees.length,
    meta: slot.map((s, i) => left[i]! * (SLOT_MASK + 1) + s),
    threshold,
    leafValue,
    root,
    depth,
    group: spec.treeGroup,
    maxDepth,
    totalNodes: next,
  };
}
