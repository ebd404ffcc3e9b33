type ParquetWasm = typeof import('parquet-wasm/node');

// Loaded at run time by a name esbuild does not follow: parquet-wasm reads its .wasm file from beside its own
// JavaScript, which a bundle of the CLI would not have next to it.
const PARQUET_WASM = 'parquet-wasm/node';
let loaded: ParquetWasm | undefined;

/** parquet-wasm's Node build (loaded once, on first use). */
export function parquetWasm(): ParquetWasm {
  loaded ??= require(PARQUET_WASM) as ParquetWasm;
  return loaded;
}
