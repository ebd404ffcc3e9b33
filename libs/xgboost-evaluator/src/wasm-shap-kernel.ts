import { SHAP_BLOCK_ROWS, type ShapKernel } from './shap-kernel';
import { RECORD, TABLE, type ShapLayout } from './tree-shap-layout';
import { TREE_SHAP_WASM } from './tree-shap-wasm';

type ExplainFn = (...args: number[]) => void;

let compiled: WebAssembly.Module | undefined;

/** The assembled tree-shap.wat, compiled once per process. */
function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(TREE_SHAP_WASM, 'base64'));
  return compiled;
}

/** The WebAssembly quadrature TreeSHAP kernel: the layout copied into its memory, then scratch and I/O buffers. */
export class WasmShapKernel implements ShapKernel {
  readonly blockRows = SHAP_BLOCK_ROWS;
  readonly rows: Float32Array;
  readonly phi: Float64Array;
  private readonly fn: ExplainFn;
  private readonly args: number[];

  constructor(layout: ShapLayout) {
    const F = layout.numFeatures;
    const B = SHAP_BLOCK_ROWS;
    const internal = layout.records.length / RECORD;
    const sizes = {
      directory: layout.directory.byteLength,
      records: layout.records.byteLength,
      tables: layout.tables.byteLength,
      nodes: layout.maxNodes * 16,
      live: (layout.maxNodes + 1) * 4,
      codes: Math.max(1, layout.maxInternal) * 4,
      rows: B * 2 * F * 4,
      phi: B * F * 16,
    };
    const at: Record<keyof typeof sizes, number> = {
      directory: 0,
      records: 0,
      tables: 0,
      nodes: 0,
      live: 0,
      codes: 0,
      rows: 0,
      phi: 0,
    };
    let size = 0;
    for (const key of Object.keys(sizes) as (keyof typeof sizes)[]) {
      at[key] = size;
      size = (size + sizes[key] + 15) & ~15;
    }
    const memory = new WebAssembly.Memory({ initial: Math.ceil(size / 65536) + 1 });
    const buf = memory.buffer;
    const directory = new Int32Array(buf, at.directory, layout.directory.length);
    for (let i = 0; i < directory.length; i += 4) {
      directory[i] = at.records + layout.directory[i]! * RECORD * 4;
      directory[i + 1] = at.records + layout.directory[i + 1]! * RECORD * 4;
      directory[i + 2] = at.tables + layout.directory[i + 2]! * TABLE * 4;
    }
    new Int32Array(buf, at.records, layout.records.length).set(layout.records);
    new Float32Array(buf, at.tables, layout.tables.length).set(layout.tables);
    // The word after the live flags stands for "no earlier edge of this feature": always followed.
    new Int32Array(buf, at.live, layout.maxNodes + 1)[layout.maxNodes] = 1;
    this.rows = new Float32Array(buf, at.rows, B * 2 * F);
    this.phi = new Float64Array(buf, at.phi, B * F * 2);
    const instance = new WebAssembly.Instance(kernelModule(), { m: { mem: memory } });
    this.fn = instance.exports['explain'] as ExplainFn;
    const passStride = internal * TABLE * 4;
    this.args = [
      at.directory,
      at.rows,
      2 * F * 4,
      at.phi,
      F * 16,
      layout.passes,
      passStride,
      at.nodes,
      at.live,
      at.codes,
    ];
  }

  run(treeBegin: number, treeEnd: number, count: number): void {
    const a = this.args;
    this.fn(a[0]!, treeBegin, treeEnd, a[1]!, count, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!);
  }
}
