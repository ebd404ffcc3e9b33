import { ftruncateSync, writeSync } from 'node:fs';

/** An open spool segment of one writer: where its next frame goes, and what is not yet durable or sealed. */
export interface Segment {
  readonly fd: number;
  readonly hour: number;
  readonly file: string;
  readonly openedAt: number;
  size: number;
  dirty: boolean;
  data: boolean;
  /** Requests written here whose shadow result is still to come. */
  awaiting: number;
  retiredAt: number;
}

/** Writes `len` bytes at the segment's end; on failure cuts the segment back to its last whole frame and rethrows. */
export function writeAll(seg: Segment, buf: Buffer, len: number): void {
  let off = 0;
  try {
    while (off < len) {
      const n = writeSync(seg.fd, buf, off, len - off, seg.size + off);
      if (n <= 0) throw new Error(`short write (${off} of ${len} bytes)`);
      off += n;
    }
  } catch (err) {
    try {
      ftruncateSync(seg.fd, seg.size);
    } catch {
      // the reader stops at the torn frame anyway: the segment stays valid up to `size`
    }
    throw err;
  }
  seg.size += len;
}
