// One fixed colour and one spelling per Falco priority, on every page, legend, badge and table (Falco's own names, most
// severe first). Grafana's named colours change with the theme and none of its yellows or oranges reaches 3:1 on the
// light theme's white (yellow is 1.56:1), so each priority has one mid-luminance colour (relative luminance ~0.16):
// at least 3:1 against both themes' backgrounds as a mark (WCAG 1.4.11), and at least 4.5:1 under the light text
// Grafana puts on a coloured cell (getTextColorForAlphaBackground). Priority names are never written in these colours.
// priorityContrast.test.ts computes the ratios.
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
  Emergency: '#A142D0', // purple
  Alert: '#D61F5C', // crimson
  Critical: '#DC1818', // red
  Error: '#C04905', // orange
  Warning: '#8D6A00', // dark gold
  Notice: '#1F6CD8', // blue
  Informational: '#208040', // green
  Debug: '#677079', // grey
};

// Falco and falcosidekick spell priorities in several ways ("critical", "CRITICAL", "Info"); this gives Falco's spelling.
export function falcoPriorityName(raw: string): FalcoPriority | undefined {
  const v = raw.trim().toLowerCase();
  if (v === 'info') {
    return 'Informational';
  }
  return FALCO_PRIORITIES.find((p) => p.toLowerCase() === v);
}
