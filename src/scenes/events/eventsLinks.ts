import type { DataLink } from '@grafana/data';
import { prefixRoute, ROUTES } from '../../constants';
import { CRITICAL_AND_ABOVE_ID } from '../../queries/catalog/falcoRuntime';
import type { FalcoPriority, QueryEntry, Visualization } from '../../queries/types';
import type { PanelContext } from '../queryParams';
import type { PageVariable } from '../spec';
import type { EventFilterVariable } from './eventQueries';

// Library entries that count Falco events: their series link to the events behind them.
export function countsFalcoEvents(entry: QueryEntry): boolean {
  return entry.category === 'falco-runtime';
}

// The priority threshold a library entry fixes whatever the page's minimum priority: its events link carries it.
const OWN_MIN_PRIORITY: Record<string, FalcoPriority> = { [CRITICAL_AND_ABOVE_ID]: 'critical' };
export function ownMinPriority(entry: QueryEntry): FalcoPriority | undefined {
  return OWN_MIN_PRIORITY[entry.id];
}

// Series labels of the Falco metrics (native, falcosidekick, falco-exporter) and the Events filter each one sets.
const LABEL_FILTERS: Array<[string, EventFilterVariable]> = [
  ['rule_name', 'rule'],
  ['rule', 'rule'],
  ['k8s_ns_name', 'namespace'],
  ['k8s_pod_name', 'pod'],
  ['hostname', 'hostname'],
  ['source', 'source'],
  ['tag', 'tag'],
  ['priority_raw', 'minPriority'], // falcosidekick's lowercase name, the Events page's value; a series is that and above
];

// Page variables whose values mean the same on the Events page (names and values match).
const CARRIED: Array<PageVariable & EventFilterVariable> = ['minPriority', 'namespace', 'pod'];

function placeholder(label: string, visualization: Visualization): string {
  return visualization === 'table'
    ? `\${__data.fields.${label}:percentencode}`
    : `\${__field.labels.${label}:percentencode}`;
}

// The Events page URL with the panel's time range and filters: the drilldown's subject, the page's minimum priority,
// namespace and pod, and (for a data link) the clicked series' rule, namespace, pod, node, source or tag.
// A panel with its own threshold (Critical and above) carries that one instead of the page's minimum priority.
export function eventsUrl(
  ctx: PanelContext,
  legend?: string,
  visualization?: Visualization,
  minPriority?: FalcoPriority
): string {
  const params: string[] = ['${__url_time_range}'];
  const set = new Set<EventFilterVariable>();
  if (minPriority) {
    params.push(`var-minPriority=${minPriority}`);
    set.add('minPriority');
  }
  if (legend && visualization) {
    for (const [label, filter] of LABEL_FILTERS) {
      if (!set.has(filter) && legend.includes(`{{${label}}}`)) {
        params.push(`var-${filter}=${placeholder(label, visualization)}`);
        set.add(filter);
      }
    }
  }
  for (const [name, value] of Object.entries(ctx.subject) as Array<[EventFilterVariable, string | undefined]>) {
    if (value !== undefined && !set.has(name)) {
      params.push(`var-${name}=${encodeURIComponent(value)}`);
      set.add(name);
    }
  }
  for (const name of CARRIED) {
    if (ctx.variables.includes(name) && !set.has(name)) {
      params.push(`\${${name}:queryparam}`);
    }
  }
  return `${prefixRoute(ROUTES.Events)}?${params.join('&')}`;
}

// The data link of a panel that counts Falco events: a click on a series or row opens its events.
export function eventsDataLink(
  ctx: PanelContext,
  legend: string | undefined,
  visualization: Visualization,
  minPriority?: FalcoPriority
): DataLink {
  return { title: 'Show these Falco events', url: eventsUrl(ctx, legend, visualization, minPriority) };
}
