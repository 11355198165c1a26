import type { ExceptionDraft } from './tuningApi';

// A row of values by field name, from a selected event or a selected source.
export type Seed = Record<string, string>;

// rowsFor keeps one row per distinct tuple of the checked fields' values, in the order seen.
export function rowsFor(seeds: Seed[], fields: string[]): string[][] {
  const seen = new Set<string>();
  const rows: string[][] = [];
  for (const s of seeds) {
    const row = fields.map((f) => s[f] ?? '');
    const key = JSON.stringify(row);
    if (!seen.has(key)) {
      seen.add(key);
      rows.push(row);
    }
  }
  return rows;
}

// draftName names the exception after what it lets through: the first row's values.
export function draftName(rows: string[][]): string {
  const first = (rows[0] ?? []).filter((v) => v !== '').join(' ');
  const name = `tuned: ${first || 'exception'}${rows.length > 1 ? ` and ${rows.length - 1} more` : ''}`;
  return name.length > 120 ? `${name.slice(0, 117)}…` : name;
}

// draftProblems lists what stops the draft from being previewed or written; empty when it can be.
export function draftProblems(d: ExceptionDraft, valueProblem: (v: string) => string | undefined): string[] {
  const out: string[] = [];
  if (d.name.trim() === '') {
    out.push('The exception needs a name');
  }
  if (d.fields.length === 0) {
    out.push('Check at least one field');
  }
  if (d.values.length === 0) {
    out.push('The exception needs at least one row of values');
  }
  d.values.forEach((row, i) =>
    row.forEach((v, k) => {
      const p = v === '' ? 'is empty: fill it in or uncheck the field' : valueProblem(v);
      if (p) {
        out.push(`Row ${i + 1}, ${d.fields[k]}: the value ${p}`);
      }
    })
  );
  return out;
}
