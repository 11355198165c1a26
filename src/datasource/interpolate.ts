import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import { EventFilters, FalcoQuery, LIST_FILTERS } from './types';

// The value a filter variable takes for "All" on the app's pages: the filter is dropped, not sent as a value.
export const ANY_VALUE = '$__all';
// The minimum-priority picker's "all" choice (src/scenes/variables.ts ALL_PRIORITIES).
const ANY_PRIORITY = 'all';

type Replace = TemplateSrv['replace'];

// A marker no value can contain: it stands for one variable's values while the rest of the string is interpolated.
const MARK = '\u0000';

// One list entry with its variables filled in. An entry that is exactly one multi-value variable becomes one entry per
// value (never joined with commas: rule names contain commas); an entry mixing text and variables stays one entry.
function interpolateEntry(replace: Replace, entry: string, scopedVars: ScopedVars): string[] {
  const values: string[][] = [];
  const replaced = replace(entry, scopedVars, (value: unknown) => {
    values.push((Array.isArray(value) ? value : [value]).map((v) => String(v ?? '')));
    return `${MARK}${values.length - 1}${MARK}`;
  });
  const whole = new RegExp(`^${MARK}(\\d+)${MARK}$`).exec(replaced);
  if (whole) {
    return values[Number(whole[1])];
  }
  return [replaced.replace(new RegExp(`${MARK}(\\d+)${MARK}`, 'g'), (_, i: string) => values[Number(i)].join(','))];
}

function interpolateList(replace: Replace, list: string[] | undefined, scopedVars: ScopedVars): string[] | undefined {
  if (!list) {
    return undefined;
  }
  const out = list.flatMap((entry) => interpolateEntry(replace, entry, scopedVars)).filter((v) => v !== '');
  // "All" (or nothing chosen) filters nothing.
  if (out.length === 0 || out.includes(ANY_VALUE)) {
    return undefined;
  }
  return Array.from(new Set(out));
}

function interpolateText(replace: Replace, text: string | undefined, scopedVars: ScopedVars): string | undefined {
  if (text === undefined) {
    return undefined;
  }
  const out = interpolateEntry(replace, text, scopedVars).join(',');
  return out === '' || out === ANY_VALUE ? undefined : out;
}

// The filters with every template variable replaced: lists as arrays of values, "All" and empty values dropped.
export function interpolateFilters(
  replace: Replace,
  filters: EventFilters | undefined,
  scopedVars: ScopedVars
): EventFilters | undefined {
  if (!filters) {
    return undefined;
  }
  const out: EventFilters = {};
  for (const key of LIST_FILTERS) {
    const list = interpolateList(replace, filters[key], scopedVars);
    if (list) {
      out[key] = list;
    }
  }
  const minPriority = interpolateText(replace, filters.minPriority, scopedVars);
  if (minPriority && minPriority.toLowerCase() !== ANY_PRIORITY) {
    out.minPriority = minPriority;
  }
  const cluster = interpolateText(replace, filters.cluster, scopedVars);
  if (cluster) {
    out.cluster = cluster;
  }
  const text = interpolateText(replace, filters.text, scopedVars);
  if (text && text.trim()) {
    out.text = text.trim();
  }
  return out;
}

// The query as the backend gets it: filters, event id and cursor interpolated.
export function interpolateQuery(replace: Replace, query: FalcoQuery, scopedVars: ScopedVars): FalcoQuery {
  const out: FalcoQuery = { ...query };
  if (query.filters) {
    out.filters = interpolateFilters(replace, query.filters, scopedVars);
  }
  if (query.id !== undefined) {
    out.id = replace(query.id, scopedVars);
  }
  if (query.rule !== undefined) {
    out.rule = replace(query.rule, scopedVars);
  }
  return out;
}
