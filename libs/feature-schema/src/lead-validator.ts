import { leadIdProblem, valueRangeProblem, valueTypeProblem, type RangeProblemCode } from './check-value';
import type { FeatureContract } from './contract';
import { FeatureSchemaError, type FeatureIssue } from './errors';

/**
 * `lenient` (default): a well-typed value outside its published range, or a fraction where a whole number is
 * published, is scored and flagged with a warning. `strict`: such a value makes its lead invalid.
 */
export type ValidationPolicy = 'lenient' | 'strict';

/** A flagged value of a scored lead. */
export interface LeadWarning {
  readonly feature: string;
  readonly code: RangeProblemCode;
  readonly problem: string;
}

/** A lead that cannot be scored: its position in the request and what is wrong (at most 20 details). */
export interface RejectedLead {
  readonly position: number;
  /** Its `lead_id` when it sent a valid one. */
  readonly leadId: string | undefined;
  readonly details: readonly FeatureIssue[];
  /** Problems found, listed or not. */
  readonly problems: number;
}

/** A validated request: the valid leads as row-major float32 (NaN = missing), and what was wrong with the rest. */
export interface ValidatedBatch {
  readonly x: Float32Array;
  /** Valid leads: `x` holds `nRows * contract.size` values. */
  readonly nRows: number;
  /** Leads in the request, valid or not. */
  readonly total: number;
  /** The request position of each valid lead; undefined when every lead is valid. */
  readonly positions: Int32Array | undefined;
  /** The named form's `lead_id` of each valid lead (undefined where absent); undefined for the array form. */
  readonly leadIds: (string | undefined)[] | undefined;
  /** Invalid leads in request order; empty when all are valid. */
  readonly rejected: readonly RejectedLead[];
  /** Warnings per valid lead (lenient policy); undefined when there are none. */
  readonly warnings: (readonly LeadWarning[] | undefined)[] | undefined;
}

/** Validates score requests against one contract. */
export interface LeadValidator {
  readonly contract: FeatureContract;
  readonly policy: ValidationPolicy;
  /**
   * Validates a parsed POST /score body in one pass, writing valid leads straight into a Float32Array.
   * Throws {@link FeatureSchemaError} EMPTY_BATCH, TOO_MANY_ROWS, or VALIDATION_FAILED when the body has the
   * wrong shape or every lead is invalid; otherwise invalid leads are reported in `rejected`.
   */
  validate(body: unknown): ValidatedBatch;
}

/** Details listed per error; the message counts the rest. */
export const MAX_DETAILS = 20;
const LEAD_KEYS: ReadonlySet<string> = new Set(['lead_id', 'features']);

/** Collects the problems of the lead being read, and of the request. */
class Collector {
  rejected: RejectedLead[] = [];
  warnings: (LeadWarning[] | undefined)[] | undefined;
  details: FeatureIssue[] = [];
  problems = 0;
  rowWarnings: LeadWarning[] | undefined;

  add(issue: FeatureIssue): void {
    this.problems++;
    if (this.details.length < MAX_DETAILS) this.details.push(issue);
  }

  /** Closes the current lead; true when it is valid. */
  close(position: number, validCount: number, leadId: string | undefined): boolean {
    if (this.problems > 0) {
      this.rejected.push({ position, leadId, details: this.details, problems: this.problems });
      this.details = [];
      this.problems = 0;
      this.rowWarnings = undefined;
      return false;
    }
    if (this.rowWarnings) {
      this.warnings ??= [];
      this.warnings[validCount] = this.rowWarnings;
      this.rowWarnings = undefined;
    }
    return true;
  }
}

/**
 * Builds the fast validator of a contract. Accepts, lead by lead, exactly what the zod schemas of
 * {@link requestSchemas} accept under the same policy (a fast-check test over random contracts proves it);
 * hand-written because zod's safeParse of a 50-row body costs ~10x this loop.
 *
 * @example
 * const validator = createLeadValidator(contract, { maxRows: 1000 });
 * const { x, nRows, rejected } = validator.validate(JSON.parse(body));
 */
export function createLeadValidator(
  contract: FeatureContract,
  opts: { maxRows: number; policy?: ValidationPolicy },
): LeadValidator {
  const policy = opts.policy ?? 'lenient';
  const { features, index, size: NF, required } = contract;
  // Column-indexed copies of the specs: monomorphic typed-array reads in the per-value loop.
  const mins = Float64Array.from(features, (s) => s.min);
  const maxs = Float64Array.from(features, (s) => s.max);
  const integer = Uint8Array.from(features, (s) => (s.integer ? 1 : 0));
  const nullable = Uint8Array.from(features, (s) => (s.allowMissing ? 1 : 0));
  const maxRows = opts.maxRows;

  /** The rare path: a value that is not an in-range number. Returns the float to store, or undefined on error. */
  function slow(c: Collector, j: number, v: unknown): number | undefined {
    const spec = features[j]!;
    const typeProblem = valueTypeProblem(spec, v);
    if (typeProblem !== undefined) {
      c.add({ feature: spec.name, problem: typeProblem });
      return undefined;
    }
    if (v === null) return NaN;
    const range = valueRangeProblem(spec, v as number);
    if (range === undefined) return v as number;
    if (policy === 'strict') {
      c.add({ feature: spec.name, problem: range.problem });
      return undefined;
    }
    (c.rowWarnings ??= []).push({ feature: spec.name, code: range.code, problem: range.problem });
    return v as number;
  }

  function validateRows(rows: unknown[]): ValidatedBatch {
    const total = checkCount(rows.length, maxRows);
    const x = new Float32Array(total * NF);
    const c = new Collector();
    let k = 0;
    let positions: Int32Array | undefined;
    for (let r = 0; r < total; r++) {
      const row = rows[r];
      if (!Array.isArray(row) || row.length !== NF) {
        c.add({
          problem: `must be an array of exactly ${NF} values, got ${Array.isArray(row) ? `${row.length} values` : describe(row)}`,
        });
      } else {
        const o = k * NF;
        for (let j = 0; j < NF; j++) {
          const v: unknown = row[j];
          if (
            typeof v === 'number' &&
            v >= mins[j]! &&
            v <= maxs[j]! &&
            (integer[j] === 0 || Number.isSafeInteger(v))
          ) {
            x[o + j] = v;
          } else if (v === null && nullable[j] === 1) {
            x[o + j] = NaN;
          } else {
            const stored = slow(c, j, v);
            if (stored !== undefined) x[o + j] = stored;
          }
        }
      }
      if (c.close(r, k, undefined)) {
        if (positions) positions[k] = r;
        k++;
      } else positions ??= firstPositions(total, k);
    }
    return finish({ x, nRows: k, total, positions, leadIds: undefined, c });
  }

  function validateNamed(body: Record<string, unknown>): ValidatedBatch {
    const shape: FeatureIssue[] = [];
    for (const key in body)
      if (key !== 'leads') shape.push({ problem: `unknown key "${key}"; the named form is {"leads": [...]}` });
    const leads = body['leads'];
    if (!Array.isArray(leads)) shape.push({ problem: `"leads" must be an array, got ${describe(leads)}` });
    if (shape.length > 0) throw invalidShape(shape);
    const total = checkCount((leads as unknown[]).length, maxRows);
    const x = new Float32Array(total * NF);
    const leadIds = new Array<string | undefined>(total);
    const c = new Collector();
    let k = 0;
    let positions: Int32Array | undefined;
    for (let r = 0; r < total; r++) {
      const lead = (leads as unknown[])[r];
      let id: string | undefined;
      if (!isPlainObject(lead)) {
        c.add({ problem: `must be an object {"lead_id"?, "features"}, got ${describe(lead)}` });
      } else {
        for (const key in lead) if (!LEAD_KEYS.has(key)) c.add({ problem: `unknown key "${key}"` });
        const idProblem = leadIdProblem(lead['lead_id']);
        if (idProblem !== undefined) c.add({ problem: idProblem });
        else id = lead['lead_id'] as string | undefined;
        const feats = lead['features'];
        if (!isPlainObject(feats))
          c.add({ problem: `"features" must be an object of feature values, got ${describe(feats)}` });
        else readNamed(c, feats, k * NF, x);
      }
      if (c.close(r, k, id)) {
        leadIds[k] = id;
        if (positions) positions[k] = r;
        k++;
      } else positions ??= firstPositions(total, k);
    }
    leadIds.length = k;
    return finish({ x, nRows: k, total, positions, leadIds, c });
  }

  function readNamed(c: Collector, feats: Record<string, unknown>, o: number, x: Float32Array): void {
    // A rejected lead before this one may have left values in this slot.
    x.fill(NaN, o, o + NF);
    let present = 0;
    for (const name in feats) {
      const j = index.get(name);
      if (j === undefined) {
        c.add({ feature: name, problem: 'unknown feature name' });
        continue;
      }
      if (nullable[j] === 0) present++;
      const v = feats[name];
      if (typeof v === 'number' && v >= mins[j]! && v <= maxs[j]! && (integer[j] === 0 || Number.isSafeInteger(v)))
        x[o + j] = v;
      else {
        const stored = slow(c, j, v);
        if (stored !== undefined) x[o + j] = stored;
      }
    }
    // An absent name is a missing value, so a feature that may not be missing must be named.
    if (present < required.length) {
      for (const name of required)
        if (!(name in feats)) c.add({ feature: name, problem: 'must not be missing (absent)' });
    }
  }

  return {
    contract,
    policy,
    validate(body: unknown): ValidatedBatch {
      if (Array.isArray(body)) return validateRows(body);
      if (isPlainObject(body)) return validateNamed(body);
      throw invalidShape([{ problem: `expected an array or an object, got ${describe(body)}` }]);
    },
  };
}

function checkCount(n: number, maxRows: number): number {
  if (n === 0) throw new FeatureSchemaError('EMPTY_BATCH', 'The request holds no leads; send at least one');
  if (n > maxRows)
    throw new FeatureSchemaError(
      'TOO_MANY_ROWS',
      `The request holds ${n} leads; at most ${maxRows} are allowed per request`,
    );
  return n;
}

/** Positions of the `k` valid leads before the first rejected one: 0..k-1. */
function firstPositions(total: number, k: number): Int32Array {
  const p = new Int32Array(total);
  for (let i = 0; i < k; i++) p[i] = i;
  return p;
}

function finish(o: {
  x: Float32Array;
  nRows: number;
  total: number;
  positions: Int32Array | undefined;
  leadIds: (string | undefined)[] | undefined;
  c: Collector;
}): ValidatedBatch {
  const { c, nRows, total } = o;
  if (nRows === 0) {
    const details = c.rejected
      .flatMap((lead) => lead.details.map((d) => ({ row: lead.position, ...d })))
      .slice(0, MAX_DETAILS);
    const problems = c.rejected.reduce((n, lead) => n + lead.problems, 0);
    const listed = problems > details.length ? ` (first ${details.length} listed)` : '';
    throw new FeatureSchemaError(
      'VALIDATION_FAILED',
      `Every lead of the request is invalid: ${problems} problem(s)${listed}`,
      { details },
    );
  }
  return {
    x: nRows === total ? o.x : o.x.subarray(0, nRows * (o.x.length / total)),
    nRows,
    total,
    positions: o.positions?.subarray(0, nRows),
    leadIds: o.leadIds,
    rejected: c.rejected,
    warnings: c.warnings,
  };
}

function invalidShape(details: FeatureIssue[]): FeatureSchemaError {
  return new FeatureSchemaError(
    'VALIDATION_FAILED',
    'The body must be a JSON array of rows or an object {"leads": [...]}',
    {
      details: details.slice(0, MAX_DETAILS),
    },
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return 'a string';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
