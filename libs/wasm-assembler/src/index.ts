// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- a global API declaration (no module to import): every project that compiles this lib needs it
/// <reference path="./webassembly.d.ts" />
/**
 * A minimal WebAssembly binary assembler for the project's hand-written kernels (the margin kernel,
 * the lake's feature columns): LEB128, sections, a module of i32-parameter functions on an imported
 * memory, and the opcodes they use.
 */
export { name, section, sleb, uleb } from './encoding';
export { get, i32, I32, mem, op, set, simd, simdOp, tee, v128i32, V128, whileNot } from './instructions';
export { assembleModule, instantiate, type WasmFunction } from './module';
