import { readFile } from 'node:fs/promises';
import { CompiledModel } from './compiled-model';
import { EvaluatorError, EvaluatorErrorCode as Code } from './errors';
import { readModelSpec } from './model-spec';
import type { Model, ParseOptions } from './types';
import { decodeUbjson } from './ubjson';

type Format = 'json' | 'ubj';

/** Tells XGBoost JSON from UBJSON by the bytes; refuses the legacy binary and pickles by name. */
function detectFormat(bytes: Uint8Array): Format {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (i === bytes.length) throw new EvaluatorError(Code.FORMAT_UNKNOWN, 'Model file is empty');
  const first = bytes[i]!;
  // Both formats open with an object; UBJSON follows '{' with a length marker and a key, JSON with '"' or space.
  if (first === 0x7b) {
    const second = bytes[i + 1];
    if (second === 0x22 || second === 0x20 || second === 0x0a || second === 0x0d || second === 0x09 || second === 0x7d)
      return 'json';
    return 'ubj';
  }
  if (first === 0x80)
    throw new EvaluatorError(
      Code.LEGACY_BINARY,
      'Unsupported model: a Python pickle, not an XGBoost model file (use Booster.save_model to write .json or .ubj)',
    );
  if (isLegacyBinary(bytes)) {
    throw new EvaluatorError(
      Code.LEGACY_BINARY,
      'Unsupported model: the legacy binary format (.bst/.model); re-save it as JSON or UBJSON with XGBoost >= 1.6',
    );
  }
  throw new EvaluatorError(Code.FORMAT_UNKNOWN, 'Model file is neither XGBoost JSON nor UBJSON');
}

/**
 * The legacy binary format opens with a 136-byte LearnerModelParam (optionally behind "binf"),
 * followed by the objective name as a little-endian uint64 length and ASCII, e.g. "binary:logistic".
 */
function isLegacyBinary(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const start of [136, 140]) {
    if (bytes.length < start + 8) continue;
    const len = view.getUint32(start, true);
    if (view.getUint32(start + 4, true) !== 0 || len < 3 || len > 64 || bytes.length < start + 8 + len) continue;
    const name = new TextDecoder('latin1').decode(bytes.subarray(start + 8, start + 8 + len));
    if (/^[a-z]+:[a-z_]+$/.test(name)) return true;
  }
  return false;
}

const NON_FINITE = /([[,:]\s*)(-?Infinity|NaN)(?=\s*[\],}])/g;

function decode(bytes: Uint8Array, format: Format): unknown {
  if (format === 'ubj') return decodeUbjson(bytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return JSON.parse(text);
  } catch (cause) {
    // XGBoost's JSON writer prints non-finite floats as bare NaN / Infinity (e.g. the split
    // conditions of categorical nodes); quote them so JSON.parse can read the file and Number() them later.
    try {
      return JSON.parse(text!.replace(NON_FINITE, '$1"$2"'));
    } catch {
      throw new EvaluatorError(Code.PARSE_FAILED, `JSON model: ${(cause as Error).message}`, { cause });
    }
  }
}

/**
 * Parses a model written by XGBoost's `save_model` (JSON or UBJSON, detected from the bytes).
 *
 * @example const model = parseModel(readFileSync('xgboost-model')); model.predict([[1, null, 3]]);
 */
export function parseModel(bytes: Uint8Array, options: ParseOptions = {}): Model {
  const format = detectFormat(bytes);
  return new CompiledModel(readModelSpec(decode(bytes, format)), options);
}

/** Reads and parses a model file; see {@link parseModel}. */
export async function loadModelFile(path: string, options: ParseOptions = {}): Promise<Model> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the caller names the model file
  return parseModel(await readFile(path), options);
}
