/**
 * Observability benchmarks (`npx nx run observability:bench`): hot-path cost per request, then Parquet encoding per row.
 */
import './hot-path';
import './parquet-cost';
