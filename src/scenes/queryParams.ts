import {
  FALCO_PRIORITIES,
  type FalcoMetricsSource,
  type FalcoPriority,
  type QueryEntry,
  type QueryParams,
} from '../queries/types';
import { seriesTopN } from './fieldDisplay';
import type { PageVariable, PanelSpec } from './spec';

// What a panel knows of its page: the page's variables, and the subject a drilldown fixes by its URL path.
export interface PanelContext {
  page: string; // the ROUTES value of the page the panel is on (drilldowns: of their parent page)
  variables: PageVariable[];
  subject: Partial<Record<'namespace' | 'pod' | 'rule', string>>;
}

// The values of the variables that change a query's shape rather than a matcher's value.
export interface QueryShape {
  falcoSource?: FalcoMetricsSource;
  minPriority?: FalcoPriority;
  // The page's pod variable is at All (its allValue `.*`, which every pod matches): the query takes no pod filter.
  // Then a per-pod panel's topN ranks from its namespace's top record (topPods.ts byRecordPeak), exact for any
  // namespaces but not for a choice of pods.
  allPods?: boolean;
}

const FALCO_SOURCES: FalcoMetricsSource[] = ['native', 'falcosidekick', 'legacy'];

const MATCHED: Array<'cluster' | 'namespace' | 'pod' | 'rule'> = ['cluster', 'namespace', 'pod', 'rule'];

// The library parameters of one panel: a drilldown's subject as a literal (the library escapes it), the page's
// cluster/namespace/pod as template variables (Grafana escapes them), and nothing for what the page does not filter.
export function panelQueryParams(
  entry: QueryEntry,
  panel: PanelSpec,
  ctx: PanelContext,
  shape: QueryShape
): QueryParams {
  const params: QueryParams = {};
  for (const name of MATCHED) {
    if (!entry.params.includes(name)) {
      continue;
    }
    const literal = name === 'cluster' ? undefined : ctx.subject[name];
    if (literal !== undefined) {
      params[name] = literal;
    } else if (ctx.variables.includes(name) && name !== 'rule' && !(name === 'pod' && shape.allPods)) {
      params[name] = { variable: name };
    }
  }
  // The shape comes from var-* URL values, which Grafana keeps even when no option matches: an unknown one would
  // make the library throw and take the page down, so it falls back to the default.
  if (entry.params.includes('falcoSource') && FALCO_SOURCES.includes(shape.falcoSource as FalcoMetricsSource)) {
    params.falcoSource = shape.falcoSource;
  }
  if (entry.params.includes('minPriority') && FALCO_PRIORITIES.includes(shape.minPriority as FalcoPriority)) {
    params.minPriority = shape.minPriority;
  }
  const topN = seriesTopN(entry, panel); // the spec's topN, below, wins
  if (topN !== undefined) {
    params.topN = topN;
  }
  for (const [name, value] of Object.entries(panel.params ?? {})) {
    if (entry.params.includes(name as keyof QueryParams)) {
      Object.assign(params, { [name]: value });
    }
  }
  return params;
}
