import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteWriter } from '../src/byte-writer';
import { FileOut, writePieces } from '../src/parquet-file-out';

const bytes = (...v: number[]): Uint8Array => Uint8Array.from(v);

describe('FileOut', () => {
  it('streams: references appended arrays in place, counts them in file offsets, and hands out pieces in order', () => {
    const out = new FileOut(new ByteWriter(8), true);
    out.w.bytes(bytes(1, 2));
    const values = bytes(3, 4, 5);
    out.append(values);
    out.w.bytes(bytes(6));
    expect(out.offset()).toBe(6);
    const first = out.flush();
    expect(first[1]).toBe(values); // the same array: not copied
    expect(Buffer.concat(first)).toEqual(Buffer.from([1, 2, 3, 4, 5, 6]));
    out.w.bytes(bytes(7));
    expect(out.offset()).toBe(7); // offsets go on across flushes
    expect(Buffer.concat(out.flush())).toEqual(Buffer.from([7]));
  });

  it('without streaming copies appended arrays into its writer', () => {
    const out = new FileOut(new ByteWriter(2), false);
    out.w.bytes(bytes(1));
    const values = bytes(2, 3, 4);
    out.append(values);
    values[0] = 9; // later changes do not reach the file
    expect(out.offset()).toBe(4);
    expect(Buffer.from(out.w.view())).toEqual(Buffer.from([1, 2, 3, 4]));
  });
});

describe('writePieces', () => {
  it('writes every byte of more pieces than one writev call takes, in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pieces-'));
    try {
      const pieces = Array.from({ length: 700 }, (_, i) => Uint8Array.from({ length: i % 5 }, (_, k) => (i + k) & 0xff));
      const fd = openSync(join(dir, 'f'), 'w');
      writePieces(fd, pieces);
      closeSync(fd);
      expect(readFileSync(join(dir, 'f'))).toEqual(Buffer.concat(pieces));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
