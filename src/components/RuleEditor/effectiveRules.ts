import { MitreMapping, mitreLine, mitreOf } from '../Mitre/catalog';
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

// A rule's MITRE ATT&CK mapping from the one catalog (src/components/Mitre): its mitre_* and TA/T id tags and the
// tactics the backend lists, each once, with names.
export function ruleMitre(r: EffectiveRule): MitreMapping {
  return mitreOf(r.tags ?? [], r.mitre ?? []);
}

// mitreText is the mapping in one line: "Execution (TA0002); Persistence (TA0003); T1059.004 Unix Shell".
export function mitreText(r: EffectiveRule): string {
  return mitreLine(ruleMitre(r));
}

// The tags that are not an ATT&CK tactic or technique (those are shown as the mapping).
export function plainTags(r: EffectiveRule): string[] {
  const mitre = new Set(ruleMitre(r).tags);
  return (r.tags ?? []).filter((t) => !mitre.has(t));
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
