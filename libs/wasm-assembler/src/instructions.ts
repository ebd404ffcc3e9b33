import { sleb, uleb } from './encoding';

/** Value types. */
export const I32 = 0x7f;
export const V128 = 0x7b;

/** One-byte opcodes of the core instruction set (the ones the kernels use). */
export const op = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, select: 0x1b, void: 0x40,
  get: 0x20, set: 0x21, tee: 0x22,
  i32Load: 0x28, f32Load: 0x2a, f64Load: 0x2b, i32Store: 0x36, f32Store: 0x38, i32Store8: 0x3a,
  i32Const: 0x41,
  i32Eqz: 0x45, i32LtS: 0x48, i32GtS: 0x4a, i32GeS: 0x4e, f64Ge: 0x66,
  i32Popcnt: 0x69, i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32And: 0x71, i32Or: 0x72,
  i32Shl: 0x74, i32ShrS: 0x75, i32ShrU: 0x76,
  f32Add: 0x92, f64PromoteF32: 0xbb,
} as const;

/** SIMD (fixed-width 128-bit) opcodes, emitted after the 0xfd prefix by {@link simd}. */
export const simdOp = {
  v128Load: 0, v128Store: 11, v128Const: 12, i8x16Swizzle: 14, i32x4LeS: 61, v128And: 78,
  v128Load32Lane: 86, v128Load32Zero: 92, i32x4Bitmask: 164,
} as const;

export const get = (i: number): number[] => [op.get, i];
export const set = (i: number): number[] => [op.set, i];
export const tee = (i: number): number[] => [op.tee, i];
export const i32 = (v: number): number[] => [op.i32Const, ...sleb(v)];
/** A load or store with its memarg: alignment as log2 bytes, offset 0. */
export const mem = (code: number, alignLog2: number): number[] => [code, alignLog2, 0];
/** A SIMD instruction (0xfd prefix, LEB opcode). */
export const simd = (code: number): number[] => [0xfd, ...uleb(code)];
/** `v128.const` of four i32 lanes. */
export const v128i32 = (lanes: readonly [number, number, number, number]): number[] => [
  ...simd(simdOp.v128Const),
  ...lanes.flatMap((x) => [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff]),
];

/**
 * `block { loop { if (exit) break; ...body; continue } }`: `exit` leaves an i32 condition on the stack;
 * inside `body`, `br 0` continues and `br 1` breaks.
 */
export function whileNot(exit: readonly number[], body: readonly number[]): number[] {
  return [op.block, op.void, op.loop, op.void, ...exit, op.brIf, 1, ...body, op.br, 0, op.end, op.end];
}
