export { DriftError, DriftErrorCode } from './errors';
export { parseBaseline, DriftBaselineSchema, type DriftBaseline, type FeatureBaseline } from './baseline';
export { psi, binSlot, compileFeatureBins, PSI_EPSILON, PSI_WATCH, PSI_ALERT } from './psi';
export { DriftAccumulator, type DriftSnapshot, type FeatureDrift } from './drift-accumulator';
export { DriftMonitor, type DriftMonitorOptions } from './drift-monitor';
export {
  buildDriftReport,
  formatDriftTable,
  driftLevel,
  type DriftReport,
  type DriftLevel,
  type DriftReportOptions,
} from './drift-report';
export { renderDriftHtml } from './drift-report-html';
