import { SLOT_BITS, type Forest } from './forest';

/** How margin.wat stores the trees: see the layouts described at the top of margin.wat. */
export type TreeLayout = 'complete' | 'pointer';

/** Trees deeper than this always use the pointer layout (a complete tree of depth 12 takes 48 KiB). */
const MAX_COMPLETE_DEPTH = 12;
/** The complete layout is used while padding costs at most this many leaf slots per actual node. */
const MAX_PADDING = 4;

/** Bytes of one tree-table entry and of one row-quad entry in margin.wat. */
export const TREE_ENTRY = 16;
export const QUAD_ENTRY = 64;
/** Byte distance between two groups' accumulators (64 rows of f32). */
export const GROUP_STRIDE = 256;

/** The trees as margin.wat reads them; every address counts from the start of `records` (placed at 0). */
export interface KernelTrees {
  layout: TreeLayout;
  records: Uint8Array;
  /** Per tree: first record, leaves (complete layout: shifted back by 2^D - 1 leaves), depth, group offset. */
  trees: Int32Array;
  /** Per four trees: first records (pointer layout: root record indices), leaves, depths, max depth. */
  quads: Int32Array;
}

/** The complete layout when every tree is shallow and full enough, else the pointer layout. */
export function chooseLayout(forest: Forest): TreeLayout {
  let padded = 0;
  for (let t = 0; t < forest.numTrees; t++) padded += 2 ** forest.depth[t]!;
  return forest.maxDepth <= MAX_COMPLETE_DEPTH && padded <= MAX_PADDING * forest.totalNodes ? 'complete' : 'pointer';
}

/**
 * Lays the forest out for margin.wat. Input slots of the forest (`f` or `F + f`, see forest.ts) become
 * byte offsets into an expanded row whose halves are `halfFloats` long.
 *
 * @example const trees = layoutTrees(buildForest(spec), chooseLayout(forest), 52);
 */
export function layoutTrees(forest: Forest, layout: TreeLayout, halfFloats: number): KernelTrees {
  const F = forest.numFeatures;
  const slotBytes = (meta: number) => {
    const slot = meta & ((1 << SLOT_BITS) - 1);
    return 4 * (slot < F ? slot : halfFloats + slot - F);
  };
  const T = forest.numTrees;
  const trees = new Int32Array(T * 4);
  const records =
    layout === 'complete' ? completeRecords(forest, slotBytes, trees) : pointerRecords(forest, slotBytes, trees);
  for (let t = 0; t < T; t++) {
    trees[4 * t + 2] = forest.depth[t]!;
    trees[4 * t + 3] = forest.group[t]! * GROUP_STRIDE;
  }
  const quads = new Int32Array(Math.ceil(T / 4) * 16);
  for (let t = 0; t < T; t++) {
    const q = (t >> 2) * 16;
    const lane = t & 3;
    quads[q + lane] = layout === 'complete' ? trees[4 * t]! : trees[4 * t]! >> 4;
    quads[q + 4 + lane] = trees[4 * t + 1]!;
    quads[q + 8 + lane] = trees[4 * t + 2]!;
    quads[q + 12] = Math.max(quads[q + 12]!, trees[4 * t + 2]!);
  }
  return { layout, records, trees, quads };
}

function completeRecords(forest: Forest, slotBytes: (meta: number) => number, trees: Int32Array): Uint8Array {
  const { meta, threshold, leafValue, root, depth } = forest;
  let bytes = 0;
  for (let t = 0; t < forest.numTrees; t++) bytes += 12 * 2 ** depth[t]! - 8;
  const buffer = new ArrayBuffer(bytes);
  const i32 = new Int32Array(buffer);
  const f32 = new Float32Array(buffer);
  let at = 0;
  for (let t = 0; t < forest.numTrees; t++) {
    const D = depth[t]!;
    const internal = 2 ** D - 1;
    const rec = at / 4;
    const leaves = rec + 2 * internal;
    // Heap order: node c of level d has children 2c + 1 and 2c + 2; leaves are c - internal.
    const place = (node: number, c: number, d: number): void => {
      const left = meta[node]! >> SLOT_BITS;
      if (left !== node) {
        i32[rec + 2 * c] = slotBytes(meta[node]!);
        f32[rec + 2 * c + 1] = threshold[node]!;
        place(left, 2 * c + 1, d + 1);
        place(left + 1, 2 * c + 2, d + 1);
        return;
      }
      // A leaf above depth D: NaN thresholds below it (always left), its value in every leaf slot below.
      let lo = c;
      let hi = c;
      for (let k = d; k < D; k++) {
        for (let n = lo; n <= hi; n++) f32[rec + 2 * n + 1] = NaN;
        lo = 2 * lo + 1;
        hi = 2 * hi + 2;
      }
      for (let n = lo; n <= hi; n++) f32[leaves + n - internal] = leafValue[node]!;
    };
    place(root[t]!, 0, 0);
    trees[4 * t] = at;
    trees[4 * t + 1] = 4 * (leaves - internal);
    at += 8 * internal + 4 * (internal + 1);
  }
  return new Uint8Array(buffer);
}

function pointerRecords(forest: Forest, slotBytes: (meta: number) => number, trees: Int32Array): Uint8Array {
  const { meta, threshold, leafValue, root } = forest;
  const N = forest.totalNodes;
  const buffer = new ArrayBuffer(16 * N);
  const i32 = new Int32Array(buffer);
  const f32 = new Float32Array(buffer);
  for (let n = 0; n < N; n++) {
    const left = meta[n]! >> SLOT_BITS;
    const leaf = left === n;
    i32[4 * n] = leaf ? 0 : slotBytes(meta[n]!);
    f32[4 * n + 1] = leaf ? NaN : threshold[n]!;
    i32[4 * n + 2] = left;
    f32[4 * n + 3] = leaf ? leafValue[n]! : 0;
  }
  for (let t = 0; t < forest.numTrees; t++) trees[4 * t] = 16 * root[t]!;
  return new Uint8Array(buffer);
}
