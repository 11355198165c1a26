import { DataFrame, FieldType } from '@grafana/data';
import { map, Observable } from 'rxjs';
import { priorityRank } from './events/priority';

// Table columns that hold a Falco priority: native and legacy number it (0 = Emergency ... 7 = Debug), falcosidekick
// names it in priority_raw.
const PRIORITY_COLUMNS = ['priority', 'priority_raw'];

function rankOf(v: unknown): number {
  const s = String(v ?? '').trim();
  return /^[0-7]$/.test(s) ? Number(s) : priorityRank(s);
}

// Whether a table's query keeps a priority column (it groups by one): such a table is ordered by severity first.
export function groupsByPriority(expr: string): boolean {
  return /\bby\s*\([^)]*\bpriority(_raw)?\b/.test(expr);
}

// Rows of a table with a priority column, most severe first and then by count: a Critical rule that fired once is on
// top of the table, never below its scroll under a hundred Notice matches.
export function sortRowsBySeverity(frames: DataFrame[]): DataFrame[] {
  return frames.map((frame) => {
    const priority = frame.fields.find((f) => PRIORITY_COLUMNS.includes(f.name));
    if (!priority) {
      return frame;
    }
    const count = frame.fields.find((f) => f.type === FieldType.number && f.name.startsWith('Value'));
    const order = Array.from({ length: frame.length }, (_, i) => i).sort(
      (a, b) =>
        rankOf(priority.values[a]) - rankOf(priority.values[b]) ||
        Number(count?.values[b] ?? 0) - Number(count?.values[a] ?? 0)
    );
    return { ...frame, fields: frame.fields.map((f) => ({ ...f, values: order.map((i) => f.values[i]) })) };
  });
}

export const sortRowsBySeverityOperator = () => (source: Observable<DataFrame[]>) =>
  source.pipe(map(sortRowsBySeverity));
