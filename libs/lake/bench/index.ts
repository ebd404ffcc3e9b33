/**
 * Lake benchmarks (`npx nx run lake:bench`): the Parquet library of the lake against its alternative.
 */
import './parquet-libraries';
