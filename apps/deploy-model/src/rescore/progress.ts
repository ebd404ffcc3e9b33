const BAR = 24;
const EVERY_MS = 200;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** What a run has done so far. */
export interface RunCounts {
  readonly rows: number;
  readonly scored: number;
  readonly rejected: number;
  readonly flagged: number;
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.ceil(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * The progress bar of a run on a terminal: rows written, rows/s and the time left, redrawn in place at most
 * five times a second; `done` fraction comes from rows (Parquet: the footer's row count) or bytes read (CSV,
 * NDJSON). Draws nothing unless `tty`: a log file gets only the summary line.
 *
 * @example const bar = new ProgressBar((s) => process.stderr.write(s), process.stderr.isTTY === true);
 */
export class ProgressBar {
  private readonly start = performance.now();
  private last = 0;
  private drawn = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
  ) {}

  update(rows: number, fraction: number): void {
    if (!this.tty) return;
    const now = performance.now();
    if (now - this.last < EVERY_MS) return;
    this.last = now;
    const seconds = (now - this.start) / 1000;
    const rate = rows / Math.max(seconds, 1e-3);
    const f = Math.min(1, Math.max(0, fraction));
    const filled = Math.round(f * BAR);
    const eta = f > 0 ? (seconds / f) * (1 - f) : Number.POSITIVE_INFINITY;
    this.write(
      `\r[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%  ${fmt(rows)} rows  ${fmt(rate)} rows/s  ETA ${duration(eta)}\u001b[K`,
    );
    this.drawn = true;
  }

  /** Clears the bar's line. */
  clear(): void {
    if (this.drawn) this.write('\r\u001b[K');
    this.drawn = false;
  }
}

/**
 * The one-line summary of a run.
 *
 * @example summaryLine({ rows: 10, scored: 9, rejected: 1, flagged: 0 }, 0.5, 'out.rejects.csv')
 * // 'rescore: 10 rows read, 9 scored, 1 rejected (out.rejects.csv), 0 flagged out of range; 0.50 s, 20 rows/s'
 */
export function summaryLine(c: RunCounts, seconds: number, rejectsFile: string): string {
  const rejected = c.rejected > 0 ? `${fmt(c.rejected)} rejected (${rejectsFile})` : '0 rejected';
  return `rescore: ${fmt(c.rows)} rows read, ${fmt(c.scored)} scored, ${rejected}, ${fmt(c.flagged)} flagged out of range; ${seconds.toFixed(2)} s, ${fmt(c.rows / Math.max(seconds, 1e-6))} rows/s\n`;
}
