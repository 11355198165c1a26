import { FALCO_PRIORITIES, type FalcoPriority } from '../queries/types';

// One fixed colour per Falco priority, most severe darkest, so a priority reads the same on every page and in the
// Events table, whatever order the series arrive in. Grafana's named colours: the theme picks their shade.
export const PRIORITY_COLORS: Record<FalcoPriority, string> = {
  emergency: 'dark-red',
  alert: 'red',
  critical: 'semi-dark-orange',
  error: 'orange',
  warning: 'yellow',
  notice: 'blue',
  informational: 'light-blue',
  debug: 'text', // the theme's text colour: present, never alarming
};

// A priority's key from its name in any case (falco_common.cpp priority_names spells them "Critical"); undefined for anything else.
export function priorityKey(name: string | undefined | null): FalcoPriority | undefined {
  const key = String(name ?? '').toLowerCase();
  return (FALCO_PRIORITIES as readonly string[]).includes(key) ? (key as FalcoPriority) : undefined;
}

// Falco's spelling of a priority: "Critical".
export function priorityLabel(p: FalcoPriority): string {
  return p[0].toUpperCase() + p.slice(1);
}

// The colour of a priority name, or undefined for a name Falco does not have.
export function priorityColor(name: string | undefined | null): string | undefined {
  const key = priorityKey(name);
  return key ? PRIORITY_COLORS[key] : undefined;
}

// Severity rank: 0 = emergency ... 7 = debug, 8 for unknown names (sorted last).
export function priorityRank(name: string | undefined | null): number {
  const key = priorityKey(name);
  return key ? FALCO_PRIORITIES.indexOf(key) : FALCO_PRIORITIES.length;
}
