import { join } from 'node:path';

/**
 * Where everything lives under LAKE_DIR: `scores/` holds the published lake (what readers glob), `spool/` the
 * write-ahead segments and publish journals, `tmp/` files being written (outside `scores/`, so no reader ever
 * lists them).
 */
export const LAKE_SCORES = 'scores';
export const LAKE_SPOOL = 'spool';
export const LAKE_TMP = 'tmp';

const HOUR_MS = 3_600_000;
const pad = (n: number): string => String(n).padStart(2, '0');

/** Hours since the epoch of a timestamp (UTC): the partition a lead belongs to. */
export const hourOf = (ts: number): number => Math.floor(ts / HOUR_MS);

/** `YYYYMMDDHH` (UTC) of an hour number: sorts as the hours do. */
export function hourKey(hour: number): string {
  const d = new Date(hour * HOUR_MS);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}`;
}

/** The hour number of a `YYYYMMDDHH` key. */
export function hourFromKey(key: string): number {
  return hourOf(
    Date.UTC(Number(key.slice(0, 4)), Number(key.slice(4, 6)) - 1, Number(key.slice(6, 8)), Number(key.slice(8, 10))),
  );
}

/**
 * Partition folder of a timestamp (UTC), relative to LAKE_DIR.
 *
 * @example
 * partitionOf(Date.UTC(2024, 0, 9, 3, 59)); // 'scores/dt=2024-01-09/hour=03'
 */
export function partitionOf(ts: number): string {
  const d = new Date(ts);
  return `${LAKE_SCORES}/dt=${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}/hour=${pad(d.getUTCHours())}`;
}

/** One spool segment, from its file name `<YYYYMMDDHH>-<run>-<worker>-<seq>.open|wal`. */
export interface SegmentName {
  readonly file: string;
  /** The name without its suffix: unique, and the stem of the lake file it becomes. */
  readonly stem: string;
  readonly hour: number;
  /** `<run>-<worker>`: the process that writes it. */
  readonly writer: string;
  readonly run: string;
  /** False while its writer may still append (`.open`). */
  readonly sealed: boolean;
}

const SEGMENT = /^(\d{10})-([a-z0-9]+)-(\d+)-(\d{6,})\.(open|wal)$/;

/** A spool file name parsed, or null for any other file. */
export function parseSegmentName(file: string): SegmentName | null {
  const m = SEGMENT.exec(file);
  if (!m) return null;
  return {
    file,
    stem: file.slice(0, file.lastIndexOf('.')),
    hour: hourFromKey(m[1]!),
    writer: `${m[2]}-${m[3]}`,
    run: m[2]!,
    sealed: m[5] === 'wal',
  };
}

/** The file name of a writer's segment number `seq` for an hour. */
export function segmentFile(hour: number, writer: string, seq: number, sealed: boolean): string {
  return `${hourKey(hour)}-${writer}-${String(seq).padStart(6, '0')}.${sealed ? 'wal' : 'open'}`;
}

/** The lake file published from segments whose first is `stem`, in the hour partition of `hour`. */
export function publishedPath(dir: string, hour: number, stem: string): string {
  return join(dir, partitionOf(hour * HOUR_MS), `part-${stem}.parquet`);
}
