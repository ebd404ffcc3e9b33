import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObsLogger } from '@lead-scoring/metrics';
import { compactHour, recoverCompaction } from './compaction';
import { LAKE_SPOOL, LAKE_TMP, hourOf } from './lake-layout';
import { publishSegments, recoverPublish } from './publish';
import { applyRetention } from './retention';
import { listSegments, segmentFeatureNames, type SpoolSegment } from './spool-reader';

/** Options of {@link LakeKeeper}. */
export interface LakeKeeperOptions {
  /** LAKE_DIR. */
  readonly dir: string;
  /**
   * The run of the writers that may still append (`<run>-<n>` writer ids): their `.open` segments are left alone
   * until {@link LakeKeeper.writerExited}. Segments of any other run belong to processes that are gone.
   */
  readonly run: string;
  /** LAKE_PUBLISH_MS: the longest a lead waits in the spool before it is in a lake file (default 300,000). */
  readonly publishMs?: number;
  /** Spool bytes that make a lake file on their own (default 256 MiB, about a million leads of 50 features). */
  readonly fileSpoolBytes?: number;
  /** Lake files smaller than this are merged once their hour is over (default 32 MiB), up to `compactBytes` (128 MiB). */
  readonly smallFileBytes?: number;
  readonly compactBytes?: number;
  /** LAKE_RETENTION_DAYS (default 30; 0 keeps everything). */
  readonly retentionDays?: number;
  /** How long after an hour ends its last segments may still be sealed (default 10 s). */
  readonly graceMs?: number;
  readonly logger: ObsLogger;
  readonly now?: () => number;
}

/** What one {@link LakeKeeper.cycle} did. */
export interface KeeperCycle {
  readonly files: number;
  readonly rows: number;
  readonly merged: number;
  readonly expired: readonly string[];
}

const HOUR_MS = 3_600_000;

/**
 * The one process-wide owner of a lake folder's files: it turns spool segments into lake files (one file per hour
 * and feature schema, when the hour is over, when the spool holds a file's worth, when a lead has waited
 * `publishMs`, or at once for what a dead process left), merges the small files of past hours, applies retention,
 * and on start finishes or forgets what a crash interrupted. One keeper per LAKE_DIR at a time (the cluster primary, or the single server process).
 *
 * @example
 * const keeper = new LakeKeeper({ dir, run, logger });
 * await keeper.recover();
 * setInterval(() => void keeper.cycle(), 1000);
 */
export class LakeKeeper {
  private readonly exited = new Set<string>();
  private readonly hoursToCompact = new Set<number>();
  /** A segment's first frame never changes: its feature names are read once. */
  private readonly namesOf = new Map<string, readonly string[]>();
  private lastRetention = -Infinity;

  constructor(private readonly opts: LakeKeeperOptions) {}

  /** Writer `<run>-<n>` is gone: its `.open` segment is now as sealed as it will ever be. */
  writerExited(writer: string): void {
    this.exited.add(writer);
  }

  /** Finishes or forgets interrupted publishes and merges, then clears `tmp/` (half-written files). */
  async recover(): Promise<void> {
    const { dir } = this.opts;
    const spool = join(dir, LAKE_SPOOL);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the lake's folders
    await mkdir(spool, { recursive: true });
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the lake's spool
    for (const f of (await readdir(spool)).sort()) {
      if (f.endsWith('.json.tmp')) await rm(join(spool, f), { force: true });
      else if (f.startsWith('publish-') && f.endsWith('.json')) await recoverPublish(dir, join(spool, f));
      else if (f.startsWith('compact-') && f.endsWith('.json')) await recoverCompaction(dir, join(spool, f));
    }

    await rm(join(dir, LAKE_TMP), { recursive: true, force: true });
    const now = this.now();
    // Restarts leave small files in recent hours: look at the last two days once.
    for (let h = hourOf(now) - 48; h < hourOf(now); h++) this.hoursToCompact.add(h);
  }

  /**
   * One pass: publish what is due (`all`: every segment that can be, as at shutdown), merge small files of
   * finished hours, and once an hour apply retention.
   */
  async cycle(opts: { all?: boolean } = {}): Promise<KeeperCycle> {
    const now = this.now();
    const segments = await listSegments(this.opts.dir);
    const ready = segments.filter((s) => s.sealed || s.run !== this.opts.run || this.exited.has(s.writer));
    let files = 0;
    let rows = 0;
    for (const group of await this.groups(ready)) {
      if (!opts.all && !this.due(group, now)) continue;
      for (const part of splitBytes(group, this.opts.fileSpoolBytes ?? 256 << 20)) {
        const r = await publishSegments(this.opts.dir, part.segments, part.names);
        if (r.ignoredBytes > 0) {
          this.opts.logger.warn('lake spool segment with a torn or corrupt tail; the tail was ignored', {
            code: 'LAKE_FRAME_INVALID',
            bytes: r.ignoredBytes,
            segments: part.segments.map((s) => s.file),
          });
        }
        if (r.file) {
          files++;
          rows += r.rows;
          this.hoursToCompact.add(part.segments[0]!.hour);
        }
      }
    }
    // At shutdown only what cannot wait: merging is left to the next start.
    const merged = opts.all ? 0 : await this.compact(now, await listSegments(this.opts.dir));
    let expired: string[] = [];
    if (now - this.lastRetention >= HOUR_MS) {
      this.lastRetention = now;
      expired = await applyRetention(this.opts.dir, this.opts.retentionDays ?? 30, now);
    }
    return { files, rows, merged, expired };
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Ready segments by hour and feature schema (a model change within an hour makes two files). */
  private async groups(
    ready: readonly SpoolSegment[],
  ): Promise<{ names: readonly string[]; segments: SpoolSegment[] }[]> {
    const groups = new Map<string, { names: readonly string[]; segments: SpoolSegment[] }>();
    const live = new Set(ready.map((s) => s.stem));
    for (const stem of this.namesOf.keys()) if (!live.has(stem)) this.namesOf.delete(stem);
    for (const s of ready) {
      let names = this.namesOf.get(s.stem);
      if (!names) {
        names = await segmentFeatureNames(s.path).catch(() => [] as string[]);
        this.namesOf.set(s.stem, names);
      }
      const key = `${s.hour}\u0001${names.join('\u0000')}`;
      const g = groups.get(key);
      if (g) g.segments.push(s);
      else groups.set(key, { names, segments: [s] });
    }
    return [...groups.values()];
  }

  private due(group: { segments: readonly SpoolSegment[] }, now: number): boolean {
    // What a process left when it died (an earlier run, or an exited worker) is replayed at once.
    if (group.segments.some((s) => s.run !== this.opts.run || this.exited.has(s.writer))) return true;
    const hour = group.segments[0]!.hour;
    if (now >= (hour + 1) * HOUR_MS + (this.opts.graceMs ?? 10_000)) return true;
    const bytes = group.segments.reduce((s, g) => s + g.bytes, 0);
    if (bytes >= (this.opts.fileSpoolBytes ?? 256 << 20)) return true;
    const oldest = Math.min(...group.segments.map((s) => s.mtimeMs));
    return now - oldest >= (this.opts.publishMs ?? 300_000);
  }

  /** Merges small files of hours that are over and have nothing left in the spool. */
  private async compact(now: number, pending: readonly SpoolSegment[]): Promise<number> {
    let merged = 0;
    const busy = new Set(pending.map((s) => s.hour));
    for (const hour of [...this.hoursToCompact].sort((a, b) => a - b)) {
      if (now < (hour + 1) * HOUR_MS + (this.opts.graceMs ?? 10_000) || busy.has(hour)) continue;
      merged += await compactHour(this.opts.dir, hour, {
        smallBytes: this.opts.smallFileBytes ?? 32 << 20,
        targetBytes: this.opts.compactBytes ?? 128 << 20,
      });
      this.hoursToCompact.delete(hour);
    }
    return merged;
  }
}

/** Splits a group into runs of whole segments of about `max` bytes each. */
function splitBytes<T extends { segments: SpoolSegment[]; names: readonly string[] }>(group: T, max: number): T[] {
  const out: T[] = [];
  let cur: SpoolSegment[] = [];
  let bytes = 0;
  for (const s of group.segments) {
    if (cur.length > 0 && bytes + s.bytes > max) {
      out.push({ ...group, segments: cur });
      cur = [];
      bytes = 0;
    }
    cur.push(s);
    bytes += s.bytes;
  }
  if (cur.length > 0) out.push({ ...group, segments: cur });
  return out;
}
