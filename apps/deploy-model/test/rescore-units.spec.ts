import { createLeadValidator } from '@lead-scoring/feature-schema';
import { mulberry32 } from '@lead-scoring/feature-schema/testing';
import { demoContract } from '@lead-scoring/model-bundle/testing';
import { planColumns } from '../src/rescore/column-plan';
import { decodeCsvBlock, type CsvLayout } from '../src/rescore/csv-decoder';
import { csvField } from '../src/rescore/csv-output';
import { parsePlainDecimal, scanned, scanPlainDecimal } from '../src/rescore/field-value';
import { formatFloat32 } from '../src/rescore/float32-text';
import { LeadRows } from '../src/rescore/lead-rows';
import { ProgressBar, summaryLine } from '../src/rescore/progress';
import { splitRecords } from '../src/rescore/record-split';

const contract = demoContract();
const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('reading numbers from bytes', () => {
  it('gives exactly what Number() gives for random decimals of up to 15 digits', () => {
    const rng = mulberry32(7);
    for (let i = 0; i < 20_000; i++) {
      const digits = 1 + Math.floor(rng() * 15);
      const int = Math.floor(rng() * 10 ** Math.min(digits, 8));
      const frac = String(Math.floor(rng() * 10 ** Math.max(0, digits - 8))).padStart(Math.max(0, digits - 8), '0');
      const text = `${rng() < 0.3 ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;

      expect(parsePlainDecimal(bytes(text), 0, text.length)).toBe(Number(text));
      expect(scanPlainDecimal(bytes(`${text},`), 0)).toBe(Number(text));
    }
  });

  it('stops at the separator and hands anything else to the slow path', () => {
    expect(scanPlainDecimal(bytes('12.5,3\n'), 0)).toBe(12.5);
    expect(scanned.end).toBe(4);
    expect(scanPlainDecimal(bytes('7\r\n'), 0)).toBe(7);
    expect(scanned.end).toBe(2);
    for (const field of ['1e3,', ' 1,', 'NaN,', ',', '0x1f,', '1234567890123456,'])
      expect(scanPlainDecimal(bytes(field), 0)).toBeNaN();
  });
});

describe('printing predictions', () => {
  const text = (v: number): string => {
    const buf = new Uint8Array(32);
    return Buffer.from(buf.subarray(0, formatFloat32(v, buf, 0))).toString('latin1');
  };

  it('prints a float32 as the shortest decimal that reads back as it, as numpy does', () => {
    expect([0.1, 0.22992563, 0.5, 1, 0, 0.0001, 1234.5, -2.5, 3e-9].map((v) => text(Math.fround(v)))).toEqual([
      '0.1',
      '0.22992563',
      '0.5',
      '1',
      '0',
      '0.0001',
      '1234.5',
      '-2.5',
      '0.000000003',
    ]);
  });

  it('reads back as the same float32 for random values, never longer than the shortest such decimal', () => {
    const rng = mulberry32(21);
    for (let i = 0; i < 100_000; i++) {
      const v = Math.fround(rng() * 10 ** Math.floor(rng() * 12 - 6));
      const t = text(v);
      expect(Math.fround(Number(t))).toBe(v);
      const digits = t.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
      if (digits > 1) expect(Math.fround(Number(v.toPrecision(digits - 1)))).not.toBe(v);
    }
  });

  it('leaves values outside exact powers of ten to the caller', () => {
    expect(formatFloat32(Math.fround(1e-20), new Uint8Array(32), 0)).toBe(-1);
    expect(formatFloat32(Number.NaN, new Uint8Array(32), 0)).toBe(-1);
  });
});

describe('splitting blocks into records', () => {
  it('ends a block at its last newline and counts the non-empty lines before it', () => {
    expect(splitRecords(bytes('a,1\n\r\nb,2\nc,'), false)).toEqual({ end: 10, records: 2 });
  });

  it('does not end a record at a newline inside quotes', () => {
    expect(splitRecords(bytes('a,"x\ny"\nb,2\n"c'), true)).toEqual({ end: 12, records: 2 });
  });
});

describe('matching columns to the contract', () => {
  const plan = (columns: string[], extra: Partial<Parameters<typeof planColumns>[0]> = {}) =>
    planColumns({ columns, contract, keep: false, source: 'in.csv', reserved: ['score'], ...extra });

  it('refuses an input without a feature that may not be missing, naming it', () => {
    const columns = contract.names.filter((n) => n !== 'web_visits_30d');

    expect(() => plan(columns)).toThrow(
      expect.objectContaining({ code: 'FEATURE_COLUMNS_MISSING', message: expect.stringContaining('web_visits_30d') }),
    );
  });

  it('scores a feature that may be missing as missing when its column is absent, and says so', () => {
    const optional = contract.features.find((f) => f.allowMissing)!.name;

    expect(plan(['lead_id', ...contract.names.filter((n) => n !== optional)]).absentOptional).toEqual([optional]);
  });

  it('takes lead_id as the id, ignores extra columns, and keeps them on request', () => {
    const columns = ['owner', 'lead_id', ...contract.names, 'region'];

    expect(plan(columns)).toMatchObject({ idColumn: 1, idName: 'lead_id', keepNames: [] });
    expect(plan(columns, { keep: true }).keepNames).toEqual(['owner', 'region']);
    expect(plan(columns, { keep: ['region'] }).keepNames).toEqual(['region']);
  });

  it('numbers the rows when there is no id column', () => {
    expect(plan([...contract.names])).toMatchObject({ idColumn: -1, idName: 'row' });
  });

  it('refuses a duplicated column, an unknown --id-column and a kept column named like an output column', () => {
    expect(() => plan(['a', 'a', ...contract.names])).toThrow(/column "a" appears twice/);
    expect(() => plan([...contract.names], { idColumn: 'crm_id' })).toThrow(/no column "crm_id"/);
    expect(() => plan(['score', ...contract.names], { keep: true })).toThrow(/--keep score/);
  });
});

describe('validating rows as the API does', () => {
  it('accepts, flags and rejects exactly the leads the API validator does, with the same float32 values', () => {
    const rng = mulberry32(11);
    const validator = createLeadValidator(contract, { maxRows: 1000 });
    const rows = new LeadRows(contract, { capacity: 1000, keep: 0, policy: 'lenient' });
    const leads: unknown[][] = [];
    for (let r = 0; r < 1000; r++) {
      const lead = contract.features.map((f) => {
        const u = rng();
        if (u < 0.02) return null;
        if (u < 0.03) return 'seven';
        if (u < 0.05) return f.max + 1;
        return Number.isFinite(f.min) ? f.min : 0;
      });
      leads.push(lead);
      rows.begin();
      lead.forEach((v, j) =>
        v === null
          ? rows.missing(j, 'empty')
          : typeof v === 'number'
            ? rows.number(j, v)
            : rows.invalid(contract.names[j]!, 'not a number'),
      );
      rows.end();
    }

    const api = validator.validate(leads);

    expect(rows.valid).toBe(api.nRows);
    expect(rows.rejected.map((r) => r.row - 1)).toEqual(api.rejected.map((r) => r.position));
    expect(Array.from(rows.x.subarray(0, api.nRows * contract.size))).toEqual(Array.from(api.x));
    expect(rows.warnings.filter((w) => w !== null)).toHaveLength(api.warnings?.filter(Boolean).length ?? 0);
  });
});

describe('decoding CSV records', () => {
  const layout = (columns: string[]): CsvLayout => {
    const p = planColumns({ columns, contract, keep: ['note'], source: 'in.csv', reserved: [] });
    return {
      columns: columns.length,
      featureOf: p.featureOf,
      idColumn: p.idColumn,
      idName: p.idName,
      keepOf: columns.map((_, c) => p.keepColumns.indexOf(c)),
    };
  };
  const values = contract.features.map((f) => (Number.isFinite(f.min) ? f.min : 0));

  it('reads quoted fields (commas, quotes and newlines inside) and CRLF line ends', () => {
    const rows = new LeadRows(contract, { capacity: 2, keep: 1, policy: 'lenient' });
    const line = (id: string, note: string) => `${csvField(id)},${values.join(',')},${csvField(note)}\r\n`;

    decodeCsvBlock(
      bytes(line('crm,1', 'say "hi"\nthere') + line('crm-2', 'plain')),
      layout(['lead_id', ...contract.names, 'note']),
      contract,
      rows,
    );

    expect([rows.idText(0), rows.idText(1)]).toEqual(['crm,1', 'crm-2']);
    expect(rows.kept[0]).toEqual(['say "hi"\nthere', 'plain']);
    expect(Array.from(rows.x.subarray(0, contract.size))).toEqual(values.map(Math.fround));
  });

  it('rejects a record with another field count and a field that is not a number, giving each reason', () => {
    const rows = new LeadRows(contract, { capacity: 2, keep: 1, policy: 'lenient' });
    const bad = [...values];
    bad[0] = 'lots' as unknown as number;

    decodeCsvBlock(
      bytes(`crm-1,${values.join(',')}\ncrm-2,${bad.join(',')},x\n`),
      layout(['lead_id', ...contract.names, 'note']),
      contract,
      rows,
    );

    expect(rows.rejected).toEqual([
      { row: 1, id: 'crm-1', reason: `has ${contract.size + 1} fields; the header has ${contract.size + 2}` },
      { row: 2, id: 'crm-2', reason: `${contract.names[0]}: must be a number or null, got a string ("lots")` },
    ]);
  });
});

describe('the progress bar', () => {
  it('draws rows, rows/s and the time left only on a terminal, and clears its line', () => {
    const onTty: string[] = [];
    const inLog: string[] = [];
    const bar = new ProgressBar((t) => onTty.push(t), true);
    const quiet = new ProgressBar((t) => inLog.push(t), false);

    bar.update(50_000, 0.25);
    quiet.update(50_000, 0.25);
    bar.clear();

    expect(onTty[0]).toMatch(/^\r\[#{6}-{18}\] {2}25% {2}50,000 rows {2}[\d,]+ rows\/s {2}ETA \d+s/);
    expect(onTty.at(-1)).toBe('\r\u001b[K');
    expect(inLog).toEqual([]);
  });

  it('ends a run with one summary line', () => {
    expect(summaryLine({ rows: 10, scored: 9, rejected: 1, flagged: 2 }, 0.5, 'out.rejects.csv')).toBe(
      'rescore: 10 rows read, 9 scored, 1 rejected (out.rejects.csv), 2 flagged out of range; 0.50 s, 20 rows/s\n',
    );
  });
});
