// One fixed colour and one spelling per Falco priority, on every page and legend (Falco's own names, most severe first).
// Colours are Grafana palette names, so they follow the theme.
export const FALCO_PRIORITIES = [
  'Emergency',
  'Alert',
  'Critical',
  'Error',
  'Warning',
  'Notice',
  'Informational',
  'Debug',
] as const;
export type FalcoPriority = (typeof FALCO_PRIORITIES)[number];

export const FALCO_PRIORITY_COLORS: Record<FalcoPriority, string> = {
  Emergency: 'dark-purple',
  Alert: 'dark-red',
  Critical: 'red',
  Error: 'semi-dark-orange',
  Warning: 'yellow',
  Notice: 'blue',
  Informational: 'green',
  Debug: 'gray',
};

// Falco and falcosidekick spell priorities in several ways ("critical", "CRITICAL", "Info"); this gives Falco's spelling.
export function falcoPriorityName(raw: string): FalcoPriority | undefined {
  const v = raw.trim().toLowerCase();
  if (v === 'info') {
    return 'Informational';
  }
  return FALCO_PRIORITIES.find((p) => p.toLowerCase() === v);
}
