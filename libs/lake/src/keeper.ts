/**
 * The lake keeper for running in the calling thread (`@lead-scoring/lake/keeper`): a tool's or a test's own publish
 * of a spool. Kept apart from index.ts because it loads parquet-wasm and apache-arrow, which the Lambda bundle
 * (it imports index.ts) must not carry; the server runs the keeper in a thread (`startLakeKeeper`).
 */
export { LakeKeeper, type LakeKeeperOptions, type KeeperCycle } from './lake-keeper';
