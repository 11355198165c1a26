import { EVENTS_UNIT } from '../queries/eventCounts';
import type { Visualization } from '../queries/types';
import { FALCO_PRIORITIES, FALCO_PRIORITY_COLORS } from './priorityColors';
import { SEVERITY_COLORS, SEVERITY_ORDER } from './severityColors';

// How a panel shows its series and columns, in dashboard-JSON form: the app's scenes and the generated dashboards
// both take their overrides, legend and transformations from here, so a colour or a column width is decided once.

export interface FieldOverride {
  matcher: { id: string; options: unknown };
  properties: Array<{ id: string; value: unknown }>;
}

// Case-insensitive, anchored: falcosidekick's priority_raw says "critical", native Falco's named priority "Critical".
// "info" is how Falco's config and some outputs spell Informational.
function nameRegex(name: string): string {
  return name === 'Informational' ? '/^(informational|info)$/i' : `/^${name}$/i`;
}

const fixedColor = (color: string) => ({ id: 'color', value: { mode: 'fixed', fixedColor: color } });

// A series named after a Falco priority, in any spelling, gets Falco's spelling and the priority's one colour.
function priorityOverrides(): FieldOverride[] {
  return FALCO_PRIORITIES.map((name) => ({
    matcher: { id: 'byRegexp', options: nameRegex(name) },
    properties: [{ id: 'displayName', value: name }, fixedColor(FALCO_PRIORITY_COLORS[name])],
  }));
}

function severityOverrides(): FieldOverride[] {
  return SEVERITY_ORDER.map((name) => ({
    matcher: { id: 'byRegexp', options: `/^${name}$/i` },
    properties: [{ id: 'displayName', value: name }, fixedColor(SEVERITY_COLORS[name])],
  }));
}

// What the series of a query are named after, read from its legend.
export type SeriesKind = 'priority' | 'severity' | 'other';
export function seriesKind(legend: string | undefined): SeriesKind {
  if (legend && /\{\{\s*priority(_name|_raw)?\s*\}\}/.test(legend)) {
    return 'priority';
  }
  if (legend && /\{\{\s*severity\s*\}\}/.test(legend)) {
    return 'severity';
  }
  return 'other';
}

// Table columns: Falco's numeric `priority` (0 = Emergency ... 7 = Debug, native and legacy) and falcosidekick's
// `priority_raw` names, both shown as Falco's spelling in the priority's colour.
const priorityMappings = () => [
  {
    type: 'value',
    options: Object.fromEntries(
      FALCO_PRIORITIES.map((name, i) => [String(i), { text: name, color: FALCO_PRIORITY_COLORS[name], index: i }])
    ),
  },
  ...FALCO_PRIORITIES.map((name, i) => ({
    type: 'regex',
    options: { pattern: nameRegex(name), result: { text: name, color: FALCO_PRIORITY_COLORS[name], index: i } },
  })),
];
const severityMappings = () =>
  SEVERITY_ORDER.map((name, i) => ({
    type: 'regex',
    options: { pattern: `/^${name}$/i`, result: { text: name, color: SEVERITY_COLORS[name], index: i } },
  }));

// A priority or severity cell: the colour fills the cell and Grafana writes the name over it in a light text that
// every colour of the palette keeps at 4.5:1; coloured text on the page would not (priorityColors.ts).
export const COLOURED_CELL = { type: 'color-background', mode: 'basic' };

// The columns that say what a row is about: they must never be cut, so they wrap and keep a readable width.
export const IDENTITY_COLUMNS = [
  'rule_name',
  'rule',
  'k8s_ns_name',
  'namespace',
  'k8s_pod_name',
  'pod',
  'policy_name',
  'hostname',
  'nodename',
  'node',
  'image',
  'file_name',
];
// The value column is a number: a narrow fixed width leaves the rest of the table to the identity columns.
export const VALUE_COLUMN_WIDTH = 110;

// A table of facts (an info metric, unit "none") has nothing to say in its value column: it is hidden.
function tableOverrides(unit?: string): FieldOverride[] {
  const value =
    unit === 'none' ? { id: 'custom.hidden', value: true } : { id: 'custom.width', value: VALUE_COLUMN_WIDTH };
  return [
    {
      matcher: { id: 'byNames', options: { mode: 'include', names: IDENTITY_COLUMNS } },
      properties: [
        { id: 'custom.minWidth', value: 160 },
        { id: 'custom.wrapText', value: true },
      ],
    },
    { matcher: { id: 'byName', options: 'Value' }, properties: [value] },
    {
      matcher: { id: 'byNames', options: { mode: 'include', names: ['priority', 'priority_raw'] } },
      properties: [
        { id: 'mappings', value: priorityMappings() },
        { id: 'custom.cellOptions', value: COLOURED_CELL },
        { id: 'custom.width', value: 120 },
        // The row's drilldown link stays on the other cells: a link would paint the priority in the link colour.
        { id: 'links', value: [] },
      ],
    },
    {
      matcher: { id: 'byName', options: 'severity' },
      properties: [
        { id: 'mappings', value: severityMappings() },
        { id: 'custom.cellOptions', value: COLOURED_CELL },
      ],
    },
  ];
}

// The field overrides of a panel: table columns, or the fixed colours and spelling of priority and severity series.
export function fieldOverrides(visualization: Visualization, legend?: string, unit?: string): FieldOverride[] {
  if (visualization === 'table') {
    return tableOverrides(unit);
  }
  switch (seriesKind(legend)) {
    case 'priority':
      return priorityOverrides();
    case 'severity':
      return severityOverrides();
    default:
      return [];
  }
}

// Series legends are tables sorted by their maximum, so the worst pod of dozens is on top; wide panels put it right.
// Priorities and severities keep severity order instead (the series come in that order): Critical is never the last
// line of a legend because it fired less than Notice.
export function timeseriesLegend(width = 12, legend?: string) {
  const bySeverity = seriesKind(legend) !== 'other';
  return {
    showLegend: true,
    displayMode: 'table',
    placement: width >= 16 ? 'right' : 'bottom',
    calcs: ['max', 'lastNotNull'],
    ...(bySeverity ? {} : { sortBy: 'Max', sortDesc: true }),
  };
}

// Every spelling of a name the sources use (Falco's, falcosidekick's lowercase, Trivy's uppercase), at one rank.
function spellings(names: readonly string[]): Record<string, number> {
  const index: Record<string, number> = {};
  names.forEach((name, i) => {
    for (const spelled of [name, name.toLowerCase(), name.toUpperCase()]) {
      index[spelled] = i + 1;
    }
  });
  if (names.includes('Informational')) {
    index.info = names.indexOf('Informational') + 1;
  }
  return index;
}

// Priority and severity series come in severity order, not in the order Prometheus returns them: joined into one
// frame (the series of one query share their timestamps) whose fields are then ordered by severity.
export function seriesTransformations(visualization: Visualization, legend?: string) {
  const kind = seriesKind(legend);
  if (visualization === 'table' || kind === 'other') {
    return [];
  }
  const order = kind === 'priority' ? FALCO_PRIORITIES : SEVERITY_ORDER;
  return [
    { id: 'joinByField', options: { mode: 'outer' } },
    { id: 'organize', options: { indexByName: spellings(order), excludeByName: {} } },
  ];
}

// Series panels of a per-pod query draw the pods with the most in the range, not all seventy (the library's topN).
export const SERIES_TOP_N = 10;
export function seriesTopN(
  entry: { params: string[]; visualization: Visualization },
  spec: { visualization?: Visualization }
) {
  const visualization = spec.visualization ?? entry.visualization;
  return visualization === 'timeseries' && entry.params.includes('topN') ? SERIES_TOP_N : undefined;
}

// Event counts are whole events: no fractional ticks on an axis, and "1 event" where Grafana's unit suffix would say
// "1 events" (a value mapping replaces the text of that one value).
export function countDisplay(unit?: string): { decimals?: number; mappings?: Array<Record<string, unknown>> } {
  if (unit !== EVENTS_UNIT) {
    return {};
  }
  return { decimals: 0, mappings: [{ type: 'value', options: { '1': { text: '1 event', index: 0 } } }] };
}
