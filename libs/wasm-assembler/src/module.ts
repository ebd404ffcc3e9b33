import { name, section, uleb } from './encoding';
import { I32, op } from './instructions';

/** A function of `params` i32 parameters and no result. */
export interface WasmFunction {
  readonly name: string;
  readonly params: number;
  /** Runs of locals after the parameters: [count, value type]. */
  readonly locals: readonly (readonly [number, number])[];
  /** The instructions, without the final `end`. */
  readonly body: readonly number[];
}

/**
 * Assembles a module that imports its memory as `m.mem` and exports `functions` by name.
 *
 * @example
 * const bytes = assembleModule([{ name: 'f', params: 1, locals: [], body: [] }]);
 */
export function assembleModule(functions: readonly WasmFunction[]): Uint8Array {
  const arities = [...new Set(functions.map((f) => f.params))];
  const types = section(1, [...uleb(arities.length), ...arities.flatMap((n) => [0x60, ...uleb(n), ...new Array<number>(n).fill(I32), 0])]);
  const imports = section(2, [1, ...name('m'), ...name('mem'), 0x02, 0x00, 1]);
  const funcs = section(3, [...uleb(functions.length), ...functions.flatMap((f) => uleb(arities.indexOf(f.params)))]);
  const exports = section(7, [...uleb(functions.length), ...functions.flatMap((f, i) => [...name(f.name), 0x00, ...uleb(i)])]);
  const bodies = functions.map((f) => {
    const code = [...uleb(f.locals.length), ...f.locals.flatMap(([count, type]) => [...uleb(count), type]), ...f.body, op.end];
    return [...uleb(code.length), ...code];
  });
  const code = section(10, [...uleb(functions.length), ...bodies.flat()]);
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...funcs, ...exports, ...code]);
}

/** Instantiates `bytes` on `memory`; returns its exports. */
export function instantiate(bytes: Uint8Array, memory: WebAssembly.Memory): Record<string, unknown> {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { mem: memory } }).exports;
}
