import { open, type FileHandle } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { DeployError, unreadable } from '../errors';
import { BLOCK_BYTES } from './limits';
import { hasQuote, splitRecords } from './record-split';

/** The longest record read; longer means a broken file (an unclosed quote), not a lead. */
const MAX_RECORD_BYTES = 64 << 20;

/** A block of whole records, its row count, and how far into the file it reaches. */
export interface TextChunk {
  readonly bytes: Uint8Array;
  readonly rows: number;
  readonly bytesRead: number;
}

/** A CSV or NDJSON input: its columns (CSV header) or first lead (NDJSON), then its records in blocks. */
export interface TextInput {
  readonly size: number;
  /** CSV: the header's names (read with csv-parse). NDJSON: empty. */
  readonly columns: readonly string[];
  /** NDJSON: the first lead, which tells whether leads carry an id and which extra keys they have. */
  readonly firstLead: Record<string, unknown> | undefined;
  chunks(): AsyncGenerator<TextChunk>;
  /** Takes back a chunk's buffer (a worker is done with it) to read into again. */
  recycle(buffer: ArrayBuffer): void;
  close(): Promise<void>;
}

/**
 * Opens a CSV (header first) or NDJSON file and hands out blocks of whole records, each in an ArrayBuffer of
 * its own so it can move to a worker without a copy; row numbers are counted as blocks are cut.
 *
 * @example const input = await openTextInput('leads.csv', 'csv'); for await (const c of input.chunks()) send(c);
 */
export async function openTextInput(file: string, kind: 'csv' | 'ndjson'): Promise<TextInput> {
  let handle: FileHandle;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the input file
    handle = await open(file, 'r');
  } catch (cause) {
    throw unreadable('input', file, cause);
  }
  try {
    const { size } = await handle.stat();
    const reader = new BlockReader(handle, size);
    const head = await reader.firstRecord(kind === 'csv');
    if (kind === 'csv') {
      if (head === undefined)
        throw new DeployError('INPUT_INVALID', `${file} is empty: a CSV input needs a header line`);
      const records = parse(Buffer.from(head).toString('utf8'), { bom: true, relax_column_count: true }) as string[][];
      const columns = (records[0] ?? []).map((name) => name.trim());
      const unnamed = columns.findIndex((name) => name === '');
      if (unnamed >= 0)
        throw new DeployError('INPUT_INVALID', `${file}: column ${unnamed + 1} of the header has no name`);
      return textInput(reader, columns, undefined);
    }
    reader.rewind();
    const first = head === undefined ? undefined : firstLead(file, head);
    return textInput(reader, [], first);
  } catch (cause) {
    await handle.close();
    if (cause instanceof DeployError) throw cause;
    throw new DeployError('INPUT_INVALID', `${file}: ${(cause as Error).message}`, { cause });
  }
}

function textInput(
  reader: BlockReader,
  columns: readonly string[],
  first: Record<string, unknown> | undefined,
): TextInput {
  return {
    size: reader.size,
    columns,
    firstLead: first,
    chunks: () => reader.chunks(),
    recycle: (b) => reader.recycle(b),
    close: () => reader.close(),
  };
}

function firstLead(file: string, line: Uint8Array): Record<string, unknown> {
  let lead: unknown;
  try {
    lead = JSON.parse(Buffer.from(line).toString('utf8'));
  } catch (cause) {
    throw new DeployError(
      'INPUT_INVALID',
      `${file}: the first line is not JSON (${(cause as Error).message}); NDJSON holds one lead object a line`,
      { cause },
    );
  }
  if (typeof lead !== 'object' || lead === null || Array.isArray(lead))
    throw new DeployError('INPUT_INVALID', `${file}: the first line is not a JSON object`);
  return lead as Record<string, unknown>;
}

class BlockReader {
  private pos = 0;
  private bom = 0;
  private carry: Uint8Array = new Uint8Array(0);
  private readonly spare: ArrayBuffer[] = [];

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /** The first non-blank record's bytes (without its newline); the rest stays to be read as data. */
  async firstRecord(quotes: boolean): Promise<Uint8Array | undefined> {
    for (;;) {
      const eof = await this.fill();
      const b = this.carry;
      const range = firstRecordRange(b, quotes, eof);
      if (range !== undefined || eof) {
        this.carry = b.slice(range?.end ?? b.length);
        return range === undefined ? undefined : b.slice(range.start, range.stop);
      }
      if (b.length > MAX_RECORD_BYTES)
        throw new DeployError('INPUT_INVALID', `the first line is longer than ${MAX_RECORD_BYTES >> 20} MiB`);
    }
  }

  /** Reads from the start again (NDJSON: the first lead is data too). */
  rewind(): void {
    this.pos = this.bom;
    this.carry = new Uint8Array(0);
  }

  async *chunks(): AsyncGenerator<TextChunk> {
    for (;;) {
      const eof = await this.fill();
      let block = this.carry;
      if (eof && block.length > 0 && block[block.length - 1] !== 0x0a) {
        const ended = new Uint8Array(block.length + 1);
        ended.set(block);
        ended[block.length] = 0x0a;
        block = ended;
      }
      const split = splitRecords(block, hasQuote(block));
      this.carry = block.slice(split.end);
      if (split.end > 0) yield { bytes: block.subarray(0, split.end), rows: split.records, bytesRead: this.pos };
      if (eof) return;
      if (split.end === 0 && this.carry.length > MAX_RECORD_BYTES) {
        throw new DeployError(
          'INPUT_INVALID',
          `a record at byte ${this.pos - this.carry.length} is longer than ${MAX_RECORD_BYTES >> 20} MiB (an unclosed quote?)`,
        );
      }
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  recycle(buffer: ArrayBuffer): void {
    if (this.spare.length < 4) this.spare.push(buffer);
  }

  /** Appends the next block to `carry` in a fresh buffer; true at the end of the file. */
  private async fill(): Promise<boolean> {
    const size = this.carry.length + BLOCK_BYTES;
    const i = this.spare.findIndex((b) => b.byteLength >= size);
    // Room for the tail of a record carried over, so a returned buffer fits the next block too.
    const buf = new Uint8Array(i >= 0 ? this.spare.splice(i, 1)[0]! : new ArrayBuffer(size + (64 << 10)), 0, size);
    buf.set(this.carry);
    let filled = this.carry.length;
    const from = filled;
    const atStart = this.pos === 0;
    while (filled < buf.length) {
      const { bytesRead } = await this.handle.read(buf, filled, buf.length - filled, this.pos);
      if (bytesRead === 0) break;
      filled += bytesRead;
      this.pos += bytesRead;
    }
    // A UTF-8 byte order mark (Excel's CSV) is not data.
    if (atStart && filled - from >= 3 && buf[from] === 0xef && buf[from + 1] === 0xbb && buf[from + 2] === 0xbf) {
      this.bom = 3;
      buf.copyWithin(from, from + 3, filled);
      filled -= 3;
    }
    this.carry = buf.subarray(0, filled);
    return this.pos >= this.size || filled < buf.length;
  }
}

/** The first record that is not blank: [start, stop) without its line end, `end` past it; undefined if none ends in `b`. */
function firstRecordRange(
  b: Uint8Array,
  quotes: boolean,
  eof: boolean,
): { start: number; stop: number; end: number } | undefined {
  let inQuotes = false;
  let lineStart = 0;
  for (let i = 0; i <= b.length; i++) {
    const c = i < b.length ? b[i] : eof ? 0x0a : undefined;
    if (c === undefined) return undefined;
    if (quotes && c === 0x22) inQuotes = !inQuotes;
    else if (c === 0x0a && !inQuotes) {
      const stop = i > lineStart && b[i - 1] === 0x0d ? i - 1 : i;
      if (stop > lineStart) return { start: lineStart, stop, end: Math.min(i + 1, b.length) };
      lineStart = i + 1;
    }
  }
  return undefined;
}
