import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LakeFiles } from '../src/lake-file';

/** A staging area of `bytes` at `offset` into a page-aligned WebAssembly memory. */
const staging = (bytes: number, offset = 0): Uint8Array =>
  new Uint8Array(new WebAssembly.Memory({ initial: Math.ceil((bytes + offset) / 65_536) }).buffer, offset, bytes);

/** `total` pseudo-random bytes cut into pieces of 1 to 5,000 bytes. */
function piecesOf(total: number, seed: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let s = seed;
  const next = (): number => (s = (s * 1_103_515_245 + 12_345) >>> 0);
  for (let left = total; left > 0; ) {
    const n = Math.min(left, 1 + (next() % 5_000));
    out.push(Uint8Array.from({ length: n }, () => next() & 0xff));
    left -= n;
  }
  return out;
}

const joined = (pieces: readonly Uint8Array[]): Buffer => Buffer.concat(pieces.map((p) => Buffer.from(p)));

describe('LakeFiles', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lake-file-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (files: LakeFiles, name: string, pieces: readonly Uint8Array[], calls = 3): Buffer => {
    const file = files.open(join(dir, name));
    const per = Math.ceil(pieces.length / calls);
    for (let i = 0; i < pieces.length; i += per) file.write(pieces.slice(i, i + per));
    file.close();
    return readFileSync(join(dir, name));
  };

  it('writes exactly the bytes given, for sizes on and around the block and staging-area boundaries', () => {
    const files = new LakeFiles({ staging: staging(8_192) });
    for (const size of [0, 1, 4_095, 4_096, 4_097, 8_191, 8_192, 8_193, 3 * 8_192 + 5, 100_000]) {
      const pieces = piecesOf(size, size + 1);
      expect(write(files, `f${size}`, pieces)).toEqual(joined(pieces));
    }
    // This machine's temp file system takes O_DIRECT, so the test above went through it.
    expect(files.directIo).toBe(true);
  });

  it('leaves no byte of a larger earlier file in a smaller later one', () => {
    const files = new LakeFiles({ staging: staging(8_192) });
    write(files, 'big', piecesOf(20_000, 7));
    const small = piecesOf(10, 8);
    expect(write(files, 'small', small)).toEqual(joined(small));
  });

  it.each([
    ['a full block', 30_000],
    ['the last, padded block', 100],
  ])('falls back to the page cache, with the same bytes, when O_DIRECT refuses %s, and stays there', (_, size) => {
    // 16 bytes past a page boundary: the kernel refuses O_DIRECT from it with EINVAL.
    const files = new LakeFiles({ staging: staging(8_192, 16) });
    const first = piecesOf(size, 3);
    expect(write(files, 'first', first)).toEqual(joined(first));
    expect(files.directIo).toBe(false);
    const second = piecesOf(5_000, 4);
    expect(write(files, 'second', second)).toEqual(joined(second));
  });

  it('passes on errors that are not a refusal of O_DIRECT', () => {
    const files = new LakeFiles();
    expect(() => files.open(join(dir, 'missing-folder', 'f'))).toThrow(/ENOENT/);
    expect(files.directIo).toBe(true);
  });

  it('refuses a second file while the first still uses the staging area, and takes one once it is closed or aborted', () => {
    const files = new LakeFiles({ staging: staging(8_192) });
    const first = files.open(join(dir, 'a'));
    expect(() => files.open(join(dir, 'b'))).toThrow(/still open/);
    first.close();
    files.open(join(dir, 'c')).abort();
    const pieces = piecesOf(5_000, 9);
    expect(write(files, 'd', pieces)).toEqual(joined(pieces));
  });

  it('rejects a staging area that is not a whole number of blocks', () => {
    expect(() => new LakeFiles({ staging: new Uint8Array(5_000) })).toThrow(/multiple of 4096/);
  });

  it('writes through the page cache when asked to', () => {
    const files = new LakeFiles({ direct: false });
    const pieces = piecesOf(10_000, 6);
    expect(write(files, 'f', pieces)).toEqual(joined(pieces));
    expect(files.directIo).toBe(false);
  });
});
