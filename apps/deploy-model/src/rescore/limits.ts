/** Bytes read per block: a chunk of whole records is about this size (about 7,000 rows of the demo's CSV). */
export const BLOCK_BYTES = 1 << 20;
/** Rows per block of a Parquet input: big enough that a chunk's fixed costs vanish, small enough to keep many in flight. */
export const PARQUET_BLOCK_ROWS = 4096;
