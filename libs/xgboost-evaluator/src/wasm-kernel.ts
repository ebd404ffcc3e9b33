import { assembleModule, get, i32, I32, instantiate, mem, op, set } from '@lead-scoring/wasm-assembler';
import type { Forest } from './forest';

/**
 * The margin kernel's inner loop as a hand-assembled WebAssembly function.
 *
 * Why: in JavaScript `v >= t ? 1 : 0` compiles to a branch, and on real forests that branch is
 * mispredicted about half the time (the always-left experiment ran 1.8x faster). WebAssembly's
 * `f64.ge` yields an i32 0/1 directly (a setcc), so the walk `n = left(n) + (x >= t)` has no
 * data-dependent branch, and typed-array bounds checks disappear too.
 *
 * Same semantics as {@link MarginKernel}: slots in the 2F-expanded row, NaN-threshold self-looping
 * leaves, float32 accumulation (`f32.add`) in tree order.
 */

// Parameter and local indices of the `block` function.
const P = { meta: 0, thr: 1, leaf: 2, root: 3, depth: 4, group: 5, rows: 6, acc: 7, trees: 8, groups: 9, stride: 10, count: 11 };
const L = { t: 12, r0: 13, dep: 14, g: 15, r: 16, d: 17, o: 18, n: 22, m: 26, addr: 27 };
const LOCALS = 16;
const LANES = 4;

const load = mem;

/** `n = (m >> 12) + (rows[o + (m & 4095)] >= thr[n])`, with m = meta[n]. */
function step(o: number, n: number, slotBits: number): number[] {
  return [
    ...get(P.meta), ...get(n), ...i32(2), op.i32Shl, op.i32Add, ...load(op.i32Load, 2), ...set(L.m),
    ...get(L.m), ...i32(slotBits), op.i32ShrS,
    ...get(o), ...get(L.m), ...i32((1 << slotBits) - 1), op.i32And, ...i32(3), op.i32Shl, op.i32Add, ...load(op.f64Load, 3),
    ...get(P.thr), ...get(n), ...i32(2), op.i32Shl, op.i32Add, ...load(op.f32Load, 2), op.f64PromoteF32,
    op.f64Ge, op.i32Add, ...set(n),
  ];
}

/** `acc[(r + k) * G + g] += leaf[n]` in float32. */
function accumulate(k: number, n: number): number[] {
  return [
    ...get(P.acc), ...get(L.r), ...i32(k), op.i32Add, ...get(P.groups), op.i32Mul, ...get(L.g), op.i32Add, ...i32(2), op.i32Shl, op.i32Add, op.tee, L.addr,
    ...get(L.addr), ...load(op.f32Load, 2),
    ...get(P.leaf), ...get(n), ...i32(2), op.i32Shl, op.i32Add, ...load(op.f32Load, 2),
    op.f32Add, op.f32Store, 2, 0,
  ];
}

/** Walks `lanes` rows starting at row r through the current tree, then adds their leaves. */
function walkLanes(lanes: number, slotBits: number): number[] {
  const code: number[] = [];
  for (let k = 0; k < lanes; k++) {
    code.push(...get(P.rows), ...get(L.r), ...i32(k), op.i32Add, ...get(P.stride), op.i32Mul, op.i32Add, ...set(L.o + k));
    code.push(...get(L.r0), ...set(L.n + k));
  }
  code.push(...get(L.dep), ...set(L.d));
  code.push(op.block, op.void, op.loop, op.void, ...get(L.d), op.i32Eqz, op.brIf, 1);
  for (let k = 0; k < lanes; k++) code.push(...step(L.o + k, L.n + k, slotBits));
  code.push(...get(L.d), ...i32(1), op.i32Sub, ...set(L.d), op.br, 0, op.end, op.end);
  for (let k = 0; k < lanes; k++) code.push(...accumulate(k, L.n + k));
  code.push(...get(L.r), ...i32(lanes), op.i32Add, ...set(L.r));
  return code;
}

function treeLoop(slotBits: number): number[] {
  const loadAt = (base: number) => [...get(base), ...get(L.t), ...i32(2), op.i32Shl, op.i32Add, ...load(op.i32Load, 2)];
  return [
    ...i32(0), ...set(L.t),
    op.block, op.void, op.loop, op.void,
    ...get(L.t), ...get(P.trees), op.i32LtS, op.i32Eqz, op.brIf, 1,
    ...loadAt(P.root), ...set(L.r0), ...loadAt(P.depth), ...set(L.dep), ...loadAt(P.group), ...set(L.g),
    ...i32(0), ...set(L.r),
    // Four lanes while at least four rows remain, then one at a time.
    op.block, op.void, op.loop, op.void,
    ...get(L.r), ...i32(LANES), op.i32Add, ...get(P.count), op.i32GtS, op.brIf, 1,
    ...walkLanes(LANES, slotBits), op.br, 0, op.end, op.end,
    op.block, op.void, op.loop, op.void,
    ...get(L.r), ...get(P.count), op.i32LtS, op.i32Eqz, op.brIf, 1,
    ...walkLanes(1, slotBits), op.br, 0, op.end, op.end,
    ...get(L.t), ...i32(1), op.i32Add, ...set(L.t), op.br, 0, op.end, op.end,
  ];
}

/**
 * One row: trees are the lanes instead (four trees walk together), since a single row's walk through
 * one tree after another is a chain of dependent loads. Leaves are still added in tree order.
 */
function singleRowLoop(slotBits: number): number[] {
  const at = (base: number, k: number) => [...get(base), ...get(L.t), ...i32(k), op.i32Add, ...i32(2), op.i32Shl, op.i32Add, ...load(op.i32Load, 2)];
  const addLeaf = (n: number, k: number) => [
    ...get(P.acc), ...at(P.group, k), ...i32(2), op.i32Shl, op.i32Add, op.tee, L.addr,
    ...get(L.addr), ...load(op.f32Load, 2),
    ...get(P.leaf), ...get(n), ...i32(2), op.i32Shl, op.i32Add, ...load(op.f32Load, 2),
    op.f32Add, op.f32Store, 2, 0,
  ];
  const walk = (lanes: number): number[] => {
    const code: number[] = [];
    for (let k = 0; k < lanes; k++) code.push(...at(P.root, k), ...set(L.n + k));
    code.push(...at(P.depth, 0), ...set(L.d));
    for (let k = 1; k < lanes; k++) {
      // d = max(d, depth[t + k])
      code.push(...at(P.depth, k), op.tee, L.dep, ...get(L.d), ...get(L.dep), ...get(L.d), op.i32GtS, op.select, ...set(L.d));
    }
    code.push(op.block, op.void, op.loop, op.void, ...get(L.d), op.i32Eqz, op.brIf, 1);
    for (let k = 0; k < lanes; k++) code.push(...step(P.rows, L.n + k, slotBits));
    code.push(...get(L.d), ...i32(1), op.i32Sub, ...set(L.d), op.br, 0, op.end, op.end);
    for (let k = 0; k < lanes; k++) code.push(...addLeaf(L.n + k, k));
    code.push(...get(L.t), ...i32(lanes), op.i32Add, ...set(L.t));
    return code;
  };
  return [
    ...i32(0), ...set(L.t),
    op.block, op.void, op.loop, op.void,
    ...get(L.t), ...i32(LANES), op.i32Add, ...get(P.trees), op.i32GtS, op.brIf, 1,
    ...walk(LANES), op.br, 0, op.end, op.end,
    op.block, op.void, op.loop, op.void,
    ...get(L.t), ...get(P.trees), op.i32LtS, op.i32Eqz, op.brIf, 1,
    ...walk(1), op.br, 0, op.end, op.end,
  ];
}

/** Assembles the module: imports memory `m.mem`, exports `block` and `row` (12 × i32 each). */
export function assembleKernel(slotBits: number): Uint8Array {
  return assembleModule([
    { name: 'block', params: 12, locals: [[LOCALS, I32]], body: treeLoop(slotBits) },
    { name: 'row', params: 12, locals: [[LOCALS, I32]], body: singleRowLoop(slotBits) },
  ]);
}

type BlockFn = (...args: number[]) => void;

/** Forest arrays copied into WebAssembly memory, with the row and accumulator buffers after them. */
export class WasmForest {
  readonly rows: Float64Array;
  readonly acc: Float32Array;
  private readonly fn: BlockFn;
  private readonly rowFn: BlockFn;
  private readonly args: number[];

  constructor(forest: Forest, slotBits: number, maxRows: number) {
    const N = forest.meta.length;
    const T = forest.numTrees;
    const G = forest.numGroups;
    const S = 2 * forest.numFeatures;
    const align8 = (n: number) => (n + 7) & ~7;
    const offsets: number[] = [];
    let size = 0;
    for (const bytes of [4 * N, 4 * N, 4 * N, 4 * T, 4 * T, 4 * T, 8 * maxRows * S, 4 * maxRows * G]) {
      offsets.push(size);
      size = align8(size + bytes);
    }
    const memory = new WebAssembly.Memory({ initial: Math.ceil(size / 65536) + 1 });
    const buf = memory.buffer;
    const [meta, thr, leaf, root, depth, group, rows, acc] = offsets as [number, number, number, number, number, number, number, number];
    new Int32Array(buf, meta, N).set(forest.meta);
    new Float32Array(buf, thr, N).set(forest.threshold.subarray(0, N));
    new Float32Array(buf, leaf, N).set(forest.leafValue);
    new Int32Array(buf, root, T).set(forest.root);
    new Int32Array(buf, depth, T).set(forest.depth);
    new Int32Array(buf, group, T).set(forest.group);
    this.rows = new Float64Array(buf, rows, maxRows * S);
    this.acc = new Float32Array(buf, acc, maxRows * G);
    const exports = instantiate(assembleKernel(slotBits), memory);
    this.fn = exports['block'] as BlockFn;
    this.rowFn = exports['row'] as BlockFn;
    this.args = [meta, thr, leaf, root, depth, group, rows, acc, T, G, S * 8, 0];
  }

  /** Walks `count` expanded rows (already in `rows`) through every tree, adding into `acc`. */
  block(count: number): void {
    const a = this.args;
    this.fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, count);
  }

  /** Walks the one expanded row in `rows` through every tree, four trees at a time. */
  row(): void {
    const a = this.args;
    this.rowFn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, 1);
  }
}
