import { ByteWriter } from './byte-writer';
import type { StringRuns } from './string-runs';

/**
 * A string column as runs whose values are held as one UTF-8 byte string: what a lake chunk records and what
 * crosses to the Parquet thread. Run i is `runs[i]` rows of the value whose UTF-16 length is `lengths[i]`
 * (-1: null), the non-null values following each other in `bytes`.
 */
export interface ByteRuns {
  readonly bytes: Uint8Array;
  readonly lengths: Int32Array;
  readonly runs: Uint32Array;
}

/** The runs with their values as strings: one UTF-8 decode of all the bytes, then a slice per run. */
export function decodeByteRuns(b: ByteRuns): StringRuns {
  const text = Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength).toString('utf8');
  const values = new Array<string | null>(b.lengths.length);
  for (let r = 0, at = 0; r < values.length; r++) {
    const len = b.lengths[r]!;
    values[r] = len >= 0 ? text.slice(at, (at += len)) : null;
  }
  return { values, counts: b.runs };
}

const UTF8 = new TextEncoder();

/** String runs as byte runs. */
export function encodeStringRuns(r: StringRuns): ByteRuns {
  const lengths = new Int32Array(r.values.length);
  const parts: string[] = [];
  for (let k = 0; k < r.values.length; k++) {
    const s = r.values[k] ?? null;
    lengths[k] = s === null ? -1 : s.length;
    if (s !== null) parts.push(s);
  }
  // TextEncoder, not Buffer.from: a small Buffer is a view of a shared pool, which a structured clone copies whole.
  return { bytes: UTF8.encode(parts.join('')), lengths, runs: Uint32Array.from(r.counts) };
}

/**
 * Appends runs of a string column (equal neighbours extend the last run), keeping the values as UTF-8 bytes
 * rather than the caller's strings. A chunk lives for seconds; holding each request's fresh id string that
 * long made every scavenge copy and then promote them (`apps/api/bench/gc-cost.ts`).
 * Only the last run's value is kept as a string, to compare the next one with.
 */
export class ByteRunsBuilder {
  private readonly out = new ByteWriter(1024);
  private lengths = new Int32Array(64);
  private counts = new Uint32Array(64);
  private n = 0;
  private last: string | null = null;

  push(v: string | null, rows: number): void {
    if (this.n > 0 && v === this.last) {
      this.counts[this.n - 1]! += rows;
      return;
    }
    if (this.n === this.lengths.length) {
      this.lengths = grown(this.lengths, new Int32Array(this.n * 2));
      this.counts = grown(this.counts, new Uint32Array(this.n * 2));
    }
    this.lengths[this.n] = v === null ? -1 : v.length;
    if (v !== null) this.out.utf8(v);
    this.counts[this.n] = rows;
    this.n++;
    this.last = v;
  }

  clear(): void {
    this.out.pos = 0;
    this.n = 0;
    this.last = null;
  }

  /** The runs so far, as a copy (the builder is reused). */
  snapshot(): ByteRuns {
    const bytes = new Uint8Array(this.out.pos);
    bytes.set(this.out.buf.subarray(0, this.out.pos));
    return { bytes, lengths: this.lengths.slice(0, this.n), runs: this.counts.slice(0, this.n) };
  }
}

function grown<T extends Int32Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
