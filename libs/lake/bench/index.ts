/**
 * Lake benchmarks (`npx nx run lake:bench`): Parquet encoding and writing per row.
 */
import './parquet-cost';
