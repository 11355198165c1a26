import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { EXPORTERS } from '../queries';
import { FALCO_EVENT_METRICS } from '../queries/falcoSources';
import type { PageVariable } from '../scenes/spec';
import { DASHBOARD_FALCO_SOURCE } from './queryParams';
import { PROMETHEUS } from './panels';

// Namespaces, pods and clusters are listed from kube-state-metrics, the one exporter that sees every pod.
const INVENTORY_METRIC = EXPORTERS['kube-state-metrics'].probeMetric;
// Prometheus' structured variable query (label_values): Grafana writes the PromQL, nothing here does.
const LABEL_VALUES = 1;

interface LabelFilter {
  label: string;
  op: '=~';
  value: string;
}

function labelValues(metric: string, label: string, filters: LabelFilter[] = []) {
  return { refId: `${label}-values`, qryType: LABEL_VALUES, metric, label, labelFilters: filters };
}

const inScope = (...names: string[]): LabelFilter[] => names.map((n) => ({ label: n, op: '=~', value: `$${n}` }));

// includeAll makes Grafana regex-escape the chosen values in =~ matchers; All selects every value.
function labelVariable(name: string, label: string, query: ReturnType<typeof labelValues>) {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(PROMETHEUS)
    .query(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all' });
}

const falcoRules = FALCO_EVENT_METRICS[DASHBOARD_FALCO_SOURCE];

type VariableBuilder = dashboard.DatasourceVariableBuilder | dashboard.QueryVariableBuilder;

// falcoSource and minPriority change a query's shape, which a plain dashboard cannot rebuild: they have no variable
// here (see DASHBOARD_FALCO_SOURCE); the app's pages offer both.
const BUILDERS: Partial<Record<PageVariable, () => VariableBuilder>> = {
  datasource: () => new dashboard.DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'),
  cluster: () => labelVariable('cluster', 'Cluster', labelValues(INVENTORY_METRIC, 'cluster')),
  namespace: () =>
    labelVariable('namespace', 'Namespace', labelValues(INVENTORY_METRIC, 'namespace', inScope('cluster'))),
  pod: () => labelVariable('pod', 'Pod', labelValues(INVENTORY_METRIC, 'pod', inScope('cluster', 'namespace'))),
  rule: () =>
    labelVariable('rule', 'Falco rule', labelValues(falcoRules.metric, falcoRules.ruleLabel, inScope('cluster'))),
};

export function dashboardVariables(names: PageVariable[]): VariableBuilder[] {
  return names.flatMap((name) => BUILDERS[name]?.() ?? []);
}
