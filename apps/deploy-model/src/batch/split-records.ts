import type { FileHandle } from 'node:fs/promises';
import { DeployError } from '../errors';

const LF = 0x0a;
const READ_BYTES = 1 << 20;

/** One request of a Transform job: whole lines of the input, in order. */
export interface MiniBatch {
  readonly index: number;
  readonly body: Buffer;
  /** Lines in `body`. */
  readonly records: number;
  /** Where the body starts in the file, bytes. */
  readonly offset: number;
}

/**
 * Cuts a file into mini-batches as Batch Transform does with SplitType Line and BatchStrategy MultiRecord:
 * a record is a line (its `\n` included; the last one may lack it), and each request holds as many whole records
 * as fit in `maxBytes` (MaxPayloadInMB × 1 MiB). Records are never split or reordered; one longer than
 * `maxBytes` fails the job (RECORD_TOO_LARGE), as it does on SageMaker. Reads the file in 1 MiB blocks, so
 * memory holds one request and one block.
 *
 * @example for await (const batch of splitRecords(handle, 6 << 20)) await post(batch.body);
 */
export async function* splitRecords(file: FileHandle, maxBytes: number): AsyncGenerator<MiniBatch> {
  let parts: Buffer[] = [];
  let pendingBytes = 0;
  let offset = 0;
  let index = 0;
  let position = 0;
  for (;;) {
    const block = Buffer.allocUnsafe(READ_BYTES);
    const { bytesRead } = await file.read(block, 0, READ_BYTES, position);
    position += bytesRead;
    const eof = bytesRead === 0;
    if (!eof) {
      parts.push(block.subarray(0, bytesRead));
      pendingBytes += bytesRead;
    }
    // Whole mini-batches are cut once more than a request's worth is read (or the file ended), so each is full.
    if (pendingBytes > maxBytes || (eof && pendingBytes > 0)) {
      let pending = parts.length === 1 ? parts[0]! : Buffer.concat(parts, pendingBytes);
      while (pending.length > maxBytes || (eof && pending.length > 0)) {
        const cut = pending.length <= maxBytes ? pending.length : pending.lastIndexOf(LF, maxBytes - 1) + 1;
        if (cut === 0) {
          throw new DeployError(
            'RECORD_TOO_LARGE',
            `the line starting at byte ${offset} is longer than MaxPayloadInMB (${maxBytes} bytes)`,
            {
              hint: 'Batch Transform sends whole lines: shorten the line, or raise MaxPayloadInMB',
            },
          );
        }
        const body = Buffer.from(pending.subarray(0, cut));
        yield { index: index++, body, records: countRecords(body), offset };
        offset += cut;
        pending = pending.subarray(cut);
      }
      parts = pending.length > 0 ? [Buffer.from(pending)] : [];
      pendingBytes = pending.length;
    }
    if (eof) return;
  }
}

function countRecords(body: Buffer): number {
  let n = 0;
  for (let i = body.indexOf(LF); i >= 0; i = body.indexOf(LF, i + 1)) n++;
  return body.length > 0 && body[body.length - 1] !== LF ? n + 1 : n;
}
