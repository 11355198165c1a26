import type { EffectiveRule } from '../../api/rules';

export interface RuleFilters {
  priorities: string[];
  tags: string[];
  sources: string[];
}

export const NO_FILTERS: RuleFilters = { priorities: [], tags: [], sources: [] };

// Falco's priorities from most to least severe; the filter offers them in this order.
const PRIORITY_ORDER = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

// MITRE ATT&CK technique and tactic ids among a rule's tags (T1059, T1059.004, TA0003), as the Falco rules tag them.
const MITRE_ID = /^TA?\d{4}(\.\d{3})?$/;

// mitreText is what the table shows for a rule's MITRE mapping: tactics (from mitre_* tags) and technique ids.
export function mitreText(r: EffectiveRule): string {
  const ids = (r.tags ?? []).filter((t) => MITRE_ID.test(t));
  return [...(r.mitre ?? []), ...ids].join(', ');
}

// filterRules keeps the rules matching every filter that has a value; within one filter any value matches.
export function filterRules(rules: EffectiveRule[], f: RuleFilters): EffectiveRule[] {
  return rules.filter(
    (r) =>
      (f.priorities.length === 0 || f.priorities.some((p) => same(p, r.priority))) &&
      (f.sources.length === 0 || f.sources.includes(r.source)) &&
      (f.tags.length === 0 || f.tags.some((t) => (r.tags ?? []).includes(t)))
  );
}

// filterOptions lists the values present in the rules, so a filter never offers a choice that matches nothing.
export function filterOptions(rules: EffectiveRule[]): RuleFilters {
  const priorities = new Set(rules.map((r) => r.priority));
  return {
    priorities: PRIORITY_ORDER.filter((p) => Array.from(priorities).some((q) => same(p, q))),
    tags: Array.from(new Set(rules.flatMap((r) => r.tags ?? []))).sort(),
    sources: Array.from(new Set(rules.map((r) => r.source))).sort(),
  };
}
