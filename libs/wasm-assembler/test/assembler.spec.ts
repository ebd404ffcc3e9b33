import { assembleModule, get, i32, I32, instantiate, mem, op, set, sleb, uleb, whileNot } from '../src';

describe('LEB128', () => {
  it('encodes unsigned values as the binary format expects', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
  });

  it('encodes signed values with the sign in the last byte', () => {
    expect(sleb(0)).toEqual([0]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });
});

describe('assembleModule', () => {
  it('builds a module whose exported functions run on the imported memory', () => {
    // fill(at, n, v): memory[at + 4k] = v + k for k < n, with a whileNot loop.
    const k = 3;
    const fill = [
      ...i32(0), ...set(k),
      ...whileNot([...get(k), ...get(1), op.i32GeS], [
        ...get(0), ...get(k), ...i32(2), op.i32Shl, op.i32Add, ...get(2), ...get(k), op.i32Add, ...mem(op.i32Store, 2),
        ...get(k), ...i32(1), op.i32Add, ...set(k),
      ]),
    ];
    const bytes = assembleModule([
      { name: 'fill', params: 3, locals: [[1, I32]], body: fill },
      { name: 'nop', params: 1, locals: [], body: [] },
    ]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const exports = instantiate(bytes, memory);
    (exports['fill'] as (at: number, n: number, v: number) => void)(16, 5, 100);
    expect(Array.from(new Int32Array(memory.buffer, 12, 7))).toEqual([0, 100, 101, 102, 103, 104, 0]);
    expect(typeof exports['nop']).toBe('function');
  });

  it('lets an invalid body fail loudly when instantiated', () => {
    const bytes = assembleModule([{ name: 'bad', params: 0, locals: [], body: [op.i32Add] }]);
    expect(() => instantiate(bytes, new WebAssembly.Memory({ initial: 1 }))).toThrow(/WebAssembly|Compiling|type/i);
  });
});
