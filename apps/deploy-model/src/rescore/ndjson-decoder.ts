import { valueTypeProblem, type FeatureContract } from '@lead-scoring/feature-schema';
import type { LeadRows } from './lead-rows';

const LF = 0x0a;
const CR = 0x0d;
const NAMED_KEYS: ReadonlySet<string> = new Set(['lead_id', 'features']);

/** What a worker needs to know of an NDJSON file's leads. */
export interface NdjsonLayout {
  /** The id key (`lead_id` in the named form), or null when the leads carry none (rows are numbered). */
  readonly idName: string | null;
  readonly keepNames: readonly string[];
}

/**
 * Reads a block of whole NDJSON lines into `rows`. A line is one lead: flat columns
 * (`{"lead_id": "crm-1", "visits": 3, ...}`, unknown keys ignored or kept), or the API's named-lead form
 * (`{"lead_id": "crm-1", "features": {...}}`, validated as the API does: an unknown feature name or key makes
 * the lead invalid). In both, an absent feature is a missing value and `null` is missing. Blank lines are skipped.
 *
 * @example decodeNdjsonBlock(Buffer.from('{"lead_id":"a","features":{"visits":3}}\n'), layout, contract, rows)
 */
export function decodeNdjsonBlock(
  b: Uint8Array,
  layout: NdjsonLayout,
  contract: FeatureContract,
  rows: LeadRows,
): void {
  const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  let p = 0;
  while (p < b.length) {
    let end = text.indexOf(LF, p);
    if (end < 0) end = b.length;
    const stop = end > p && b[end - 1] === CR ? end - 1 : end;
    if (stop > p) readLine(text.toString('utf8', p, stop), layout, contract, rows);
    p = end + 1;
  }
}

function readLine(line: string, layout: NdjsonLayout, contract: FeatureContract, rows: LeadRows): void {
  rows.begin();
  let lead: unknown;
  try {
    lead = JSON.parse(line);
  } catch (err) {
    rows.invalid('', `is not valid JSON (${(err as Error).message})`);
    rows.end();
    return;
  }
  if (!isObject(lead)) {
    rows.invalid('', 'must be a JSON object: flat columns, or {"lead_id", "features": {...}}');
    rows.end();
    return;
  }
  const named = isObject(lead['features']);
  if (layout.idName !== null) readId(lead, named ? 'lead_id' : layout.idName, rows);
  if (named) {
    for (const key in lead)
      if (!NAMED_KEYS.has(key)) rows.invalid('', `unknown key "${key}"; the named form is {"lead_id", "features"}`);
    readFeatures(lead['features'] as Record<string, unknown>, contract, rows, true);
  } else {
    readFeatures(lead, contract, rows, false);
  }
  layout.keepNames.forEach((name, k) => {
    const v = lead[name];
    rows.setKept(k, v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
  });
  rows.end();
}

function readId(lead: Record<string, unknown>, key: string, rows: LeadRows): void {
  const id = lead[key];
  if (typeof id === 'string') rows.setId(id, key);
  else if (typeof id === 'number' && Number.isFinite(id)) rows.setId(String(id), key);
  else rows.invalid(key, id === undefined ? 'is absent' : 'must be a string');
}

function readFeatures(
  values: Record<string, unknown>,
  contract: FeatureContract,
  rows: LeadRows,
  strictNames: boolean,
): void {
  const { index, features } = contract;
  let found = 0;
  for (const name in values) {
    const j = index.get(name);
    if (j === undefined) {
      if (strictNames) rows.invalid(name, 'unknown feature name');
      continue;
    }
    found++;
    const v = values[name];
    if (typeof v === 'number') rows.number(j, v);
    else if (v === null) rows.missing(j, 'null');
    else rows.invalid(name, valueTypeProblem(features[j]!, v) ?? 'must be a number');
  }
  if (found < contract.size) {
    for (let j = 0; j < contract.size; j++) if (!Object.hasOwn(values, contract.names[j]!)) rows.missing(j, 'absent');
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
