import type { Forest } from './forest';
import { MARGIN_WASM } from './margin-wasm';
import type { MarginEngine } from './margin-engine';
import { chooseLayout, GROUP_STRIDE, layoutTrees, QUAD_ENTRY, TREE_ENTRY, type TreeLayout } from './wasm-layout';

type Margins = (input: number, nRows: number, out: number) => void;
type Row = (input: number, out: number) => void;

let compiled: WebAssembly.Module | undefined;

/** The assembled margin.wat, compiled once per process. */
function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(MARGIN_WASM, 'base64'));
  return compiled;
}

/** Input bytes copied into the kernel's memory per call: large batches go through in chunks of this size. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Raw margins on the margin.wat kernel (SIMD, four rows or four trees to a vector): the forest laid out
 * once in the kernel's memory, rows copied in chunk by chunk, float64 margins copied out.
 * Design and figures: docs/adr/0008-simd-margin-kernel.md.
 */
export class WasmMarginKernel implements MarginEngine {
  readonly layout: TreeLayout;
  private readonly numFeatures: number;
  private readonly numGroups: number;
  private readonly chunkRows: number;
  private readonly input: Float32Array;
  private readonly output: Float64Array;
  private readonly inputAt: number;
  private readonly outputAt: number;
  private readonly margins: Margins;
  private readonly row: Row;

  /** `layout` overrides the automatic choice (tests run both). */
  constructor(forest: Forest, baseMargins: ArrayLike<number>, layout: TreeLayout = chooseLayout(forest)) {
    const F = forest.numFeatures;
    const G = forest.numGroups;
    const half = (F + 3) & ~3;
    const kernel = layoutTrees(forest, layout, half);
    const T = forest.numTrees;
    const quads = Math.ceil(T / 4);
    this.layout = layout;
    this.numFeatures = F;
    this.numGroups = G;
    this.chunkRows = Math.max(64, Math.floor(CHUNK_BYTES / (4 * F) / 64) * 64);
    const sizes = {
      records: kernel.records.byteLength,
      trees: T * TREE_ENTRY,
      quads: quads * QUAD_ENTRY,
      leaves: quads * 16,
      base: G * 4,
      acc: G * GROUP_STRIDE,
      idx: 64 * 4,
      rows: 64 * 2 * half * 4,
      // The kernel reads up to 12 bytes past the last input row.
      input: this.chunkRows * F * 4 + 16,
      output: this.chunkRows * G * 8,
    };
    const at = {} as Record<keyof typeof sizes, number>;
    let size = 0;
    for (const key of Object.keys(sizes) as (keyof typeof sizes)[]) {
      at[key] = size;
      size = (size + sizes[key] + 15) & ~15;
    }
    const memory = new WebAssembly.Memory({ initial: Math.ceil(size / 65536) });
    const buf = memory.buffer;
    new Uint8Array(buf, at.records, kernel.records.length).set(kernel.records);
    const trees = new Int32Array(buf, at.trees, T * 4);
    trees.set(kernel.trees);
    new Int32Array(buf, at.quads, quads * 16).set(kernel.quads);
    new Float32Array(buf, at.base, G).set(Array.from(baseMargins));
    const { exports } = new WebAssembly.Instance(kernelModule(), { m: { mem: memory } });
    (exports['init'] as (...args: number[]) => void)(
      at.trees,
      at.trees + T * TREE_ENTRY,
      at.quads,
      at.quads + quads * QUAD_ENTRY,
      layout === 'pointer' ? 1 : 0,
      4 * F,
      4 * half,
      at.rows,
      at.idx,
      at.acc,
      at.base,
      G,
      at.leaves,
      forest.maxDepth,
    );
    this.margins = exports['margins'] as Margins;
    this.row = exports['row'] as Row;
    this.input = new Float32Array(buf, at.input, this.chunkRows * F);
    this.output = new Float64Array(buf, at.output, this.chunkRows * G);
    this.inputAt = at.input;
    this.outputAt = at.output;
  }

  run(x: Float32Array, nRows: number, out: Float64Array): void {
    const F = this.numFeatures;
    const G = this.numGroups;
    if (nRows === 1) {
      this.input.set(x.length === F ? x : x.subarray(0, F));
      this.row(this.inputAt, this.outputAt);
      for (let g = 0; g < G; g++) out[g] = this.output[g]!;
      return;
    }
    for (let start = 0; start < nRows; start += this.chunkRows) {
      const count = Math.min(this.chunkRows, nRows - start);
      this.input.set(x.subarray(start * F, (start + count) * F));
      this.margins(this.inputAt, count, this.outputAt);
      out.set(this.output.subarray(0, count * G), start * G);
    }
  }
}
