export { envAssignments, envCount, envCounts, envFlag, fail } from './env';
export { median, percentile, spread, type Spread } from './stats';
export { formatReport, report, resultsDir, type AreaReport, type Figure } from './report';
export { atLeast, atMost, below, type Measured } from './targets';
export { postLoad, type LoadOptions } from './load';
export { startApi, type RunningApi } from './api-server';
export { filesBytes } from './files';
