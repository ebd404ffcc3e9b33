import type { OpenedPage } from './parquet-numeric-page';

/** A column's own buffers for its current text page, kept from page to page and row group to row group. */
export interface TextSlot {
  bytes: Buffer;
  starts: Int32Array;
  lengths: Int32Array;
}

/**
 * A page of PLAIN byte arrays (ids, kept columns) held as its bytes and the place of each value: text is made
 * only for the rows of the block being cut. hyparquet's general path makes a view and then a string per value
 * up front; for the lead ids of a million-row file that was about 120 MB of the reader's peak.
 */
export class TextPage {
  constructor(
    readonly length: number,
    private readonly slot: TextSlot,
    /** Per row, the index of its value, -1 for null; null when no row is null. */
    private readonly index: Int32Array | null,
  ) {}

  copyNumbers(): void {
    throw new Error('a text column is not read as numbers');
  }

  copyTexts(from: number, count: number, out: (string | null)[], at: number): void {
    const { bytes, starts, lengths } = this.slot;
    for (let i = 0; i < count; i++) {
      const k = this.index === null ? from + i : this.index[from + i]!;
      out[at + i] = k < 0 ? null : bytes.toString('utf8', starts[k]!, starts[k]! + lengths[k]!);
    }
  }
}

/**
 * Reads an opened PLAIN BYTE_ARRAY page (each value a 4-byte little-endian length, then its bytes) into the
 * column's slot; undefined for another encoding (hyparquet's general path takes it).
 *
 * @example decodeTextPage(openDataPage(...), slot, 1)
 */
export function decodeTextPage(opened: OpenedPage, slot: TextSlot, maxDefinition: number): TextPage | undefined {
  const { count, encoding, levels, present, page } = opened;
  if (encoding !== 'PLAIN') return undefined;
  if (slot.bytes.length < page.length) slot.bytes = Buffer.alloc(Math.max(page.length, slot.bytes.length * 2));
  slot.bytes.set(page);
  if (slot.starts.length < present) {
    slot.starts = new Int32Array(Math.max(present, slot.starts.length * 2));
    slot.lengths = new Int32Array(slot.starts.length);
  }
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  for (let k = 0, at = 0; k < present; k++) {
    const n = view.getUint32(at, true);
    slot.starts[k] = at + 4;
    slot.lengths[k] = n;
    at += 4 + n;
  }
  let index: Int32Array | null = null;
  if (levels && present < count) {
    index = new Int32Array(count);
    for (let i = 0, k = 0; i < count; i++) index[i] = levels[i] === maxDefinition ? k++ : -1;
  }
  return new TextPage(count, slot, index);
}
