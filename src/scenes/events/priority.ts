import { FALCO_PRIORITIES, FALCO_PRIORITY_COLORS, FalcoPriority, falcoPriorityName } from '../priorityColors';

// Falco's spelling of a priority however it was written ("critical", "CRITICAL", "Info"); undefined for others.
export function priorityName(raw: string | undefined | null): FalcoPriority | undefined {
  return falcoPriorityName(String(raw ?? ''));
}

// The fixed colour of a priority (src/scenes/priorityColors.ts), or undefined for a name Falco does not have.
export function priorityColor(raw: string | undefined | null): string | undefined {
  const name = priorityName(raw);
  return name ? FALCO_PRIORITY_COLORS[name] : undefined;
}

// Severity rank: 0 = Emergency ... 7 = Debug, 8 for unknown names (sorted last).
export function priorityRank(raw: string | undefined | null): number {
  const name = priorityName(raw);
  return name ? FALCO_PRIORITIES.indexOf(name) : FALCO_PRIORITIES.length;
}
