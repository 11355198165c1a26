import type { LabelParam, QueryEntry, QueryParams } from '../queries/types';
import { seriesTopN } from '../scenes/fieldDisplay';
import type { PageVariable, PanelSpec } from '../scenes/spec';

// Page variables a query takes as a label matcher; Grafana fills `$name` and regex-escapes the value.
const LABEL_VARIABLES = ['cluster', 'namespace', 'pod', 'rule'] as const;

// A plain dashboard cannot rebuild a query when a variable changes its shape, so Falco event panels are built for
// this source; the library itself moves namespace/pod-filtered queries to falcosidekick, the one with those labels.
export const DASHBOARD_FALCO_SOURCE = 'native';

// The library parameters of a panel on a generated dashboard: the page's label variables as template variables,
// every priority (minPriority unset), and the spec's fixed parameters (topN, interval) on top.
export function dashboardQueryParams(entry: QueryEntry, panel: PanelSpec, variables: PageVariable[]): QueryParams {
  const params: QueryParams = {};
  for (const name of LABEL_VARIABLES) {
    if (entry.params.includes(name) && variables.includes(name)) {
      params[name] = { variable: name } satisfies LabelParam;
    }
  }
  if (entry.params.includes('falcoSource')) {
    params.falcoSource = DASHBOARD_FALCO_SOURCE;
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
