const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** Where the complete records of a block end, and how many there are. */
export interface RecordSplit {
  /** Bytes [0, end) hold whole records (each ending in a newline); the rest starts the next block. */
  readonly end: number;
  /** Records in [0, end): lines that are neither empty nor a lone `\r`. */
  readonly records: number;
}

/**
 * Splits a block of CSV or NDJSON lines at its last record boundary and counts the records before it, so row
 * numbers are known before the block goes to a worker. With `quotes`, a newline inside an RFC 4180 quoted
 * field does not end a record (CSV only; pass false when the block holds no `"`, the common case).
 *
 * @example splitRecords(Buffer.from('a,1\n\nb,2\nc,'), false) // { end: 9, records: 2 }
 */
export function splitRecords(b: Uint8Array, quotes: boolean): RecordSplit {
  if (!quotes) return splitLines(b);
  let end = 0;
  let records = 0;
  let lineStart = 0;
  let inQuotes = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (c === LF && !inQuotes) {
      const length = i - lineStart;
      if (length > 1 || (length === 1 && b[lineStart] !== CR)) records++;
      lineStart = i + 1;
      end = lineStart;
    }
  }
  return { end, records };
}

/** Without quotes, every newline ends a record: found with indexOf (memchr) rather than a loop over each byte. */
function splitLines(b: Uint8Array): RecordSplit {
  let end = 0;
  let records = 0;
  for (let i = b.indexOf(LF); i >= 0; i = b.indexOf(LF, i + 1)) {
    const length = i - end;
    if (length > 1 || (length === 1 && b[end] !== CR)) records++;
    end = i + 1;
  }
  return { end, records };
}

/** True when the block holds a `"`, so records must be split quote-aware. */
export function hasQuote(b: Uint8Array): boolean {
  return b.indexOf(QUOTE) >= 0;
}
