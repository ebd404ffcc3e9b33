export { ROOT } from './root';
export { freePort } from './ports';
export { exited, startTsx, waitFor200, type Child } from './child';
export { runCli, type CliResult } from './cli';
export { duckdb } from './duckdb';
export { runMeasured, type MeasuredRun } from './measured-run';
