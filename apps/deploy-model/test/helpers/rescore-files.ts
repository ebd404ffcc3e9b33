import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { duckdb } from '@lead-scoring/testing';

/** One lead of a test input: its id, feature values by name (null = missing) and an extra column. */
export interface TestLead {
  id: string;
  values: Record<string, number | null>;
  owner: string;
}

const field = (v: string): string => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** A CSV with a header, columns in the given order (`lead_id`, `owner` and feature names), empty = missing. */
export function writeLeadsCsv(file: string, leads: readonly TestLead[], columns: readonly string[]): void {
  const cell = (lead: TestLead, c: string): string => {
    if (c === 'lead_id') return field(lead.id);
    if (c === 'owner') return field(lead.owner);
    const v = lead.values[c];
    return v === null || v === undefined ? '' : String(v);
  };
  writeFileSync(
    file,
    `${columns.join(',')}\n${leads.map((l) => columns.map((c) => cell(l, c)).join(',')).join('\n')}\n`,
  );
}

/** NDJSON leads, alternating the flat form and the API's named form (absent feature = missing). */
export function writeLeadsNdjson(file: string, leads: readonly TestLead[]): void {
  const lines = leads.map((l, i) => {
    if (i % 2 === 0) return JSON.stringify({ lead_id: l.id, owner: l.owner, ...l.values });
    const features = Object.fromEntries(Object.entries(l.values).filter(([, v]) => v !== null));
    return JSON.stringify({ lead_id: l.id, features });
  });
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** A Parquet copy of a CSV written by DuckDB (its types: BIGINT, DOUBLE, VARCHAR; empty fields become NULL). */
export async function csvToParquet(csv: string, parquet: string, opts: { rowGroupSize?: number } = {}): Promise<void> {
  const groups = opts.rowGroupSize ? `, ROW_GROUP_SIZE ${opts.rowGroupSize}` : '';
  await duckdb(`COPY (SELECT * FROM read_csv('${csv}', header = true)) TO '${parquet}' (FORMAT parquet${groups})`);
}

/** An output or rejects CSV as objects keyed by its header. */
export function readCsvObjects(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
}
