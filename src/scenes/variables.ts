import { CustomVariable, DataSourceVariable, QueryVariable, SceneVariable, SceneVariableSet } from '@grafana/scenes';
import { VariableHide } from '@grafana/schema';
import { EXPORTERS } from '../queries';
import { FALCO_PRIORITIES } from '../queries/types';
import { PROMETHEUS_DATASOURCE_TYPE } from '../constants';
import type { PageVariable } from './spec';

// The label values of namespaces, pods and clusters come from kube-state-metrics, the one exporter with every pod.
const INVENTORY_METRIC = EXPORTERS['kube-state-metrics'].probeMetric;
// Prometheus' structured variable query (PromVariableQueryType.LabelValues): Grafana writes the label_values() call.
const LABEL_VALUES = 1;
// A minPriority of 'all' selects every event: the library gets no minPriority at all.
export const ALL_PRIORITIES = 'all';

// Both forms, as Grafana's variable editor saves them: the structured fields and the label_values() text that
// Prometheus' variable support runs. Filters hold only template variables, which Grafana escapes.
function labelValues(label: string, filters: Array<{ label: string; op: string; value: string }> = []) {
  const matchers = filters.map((f) => `${f.label}${f.op}"${f.value}"`).join(',');
  return {
    refId: `${label}-values`,
    qryType: LABEL_VALUES,
    label,
    metric: INVENTORY_METRIC,
    labelFilters: filters,
    query: `label_values(${INVENTORY_METRIC}${matchers ? `{${matchers}}` : ''},${label})`,
  };
}

function inventoryVariable(name: string, label: string, query: ReturnType<typeof labelValues>) {
  return new QueryVariable({
    name,
    label,
    datasource: { type: PROMETHEUS_DATASOURCE_TYPE, uid: '${datasource}' },
    query,
    includeAll: true,
    defaultToAll: true,
    allValue: '.*',
    refresh: 2, // on time range change: pods come and go
  });
}

function clusterVariable() {
  const cluster = inventoryVariable('cluster', 'Cluster', labelValues('cluster'));
  // Single-cluster Prometheus servers have no cluster label: hide a variable that has nothing to choose.
  cluster.subscribeToState((s, prev) => {
    if (s.loading !== prev.loading && !s.loading) {
      const hide = s.options.length === 0 ? VariableHide.hideVariable : VariableHide.dontHide;
      if (hide !== s.hide) {
        cluster.setState({ hide });
      }
    }
  });
  return cluster;
}

const BUILDERS: Record<PageVariable, (prometheusUid: string) => SceneVariable> = {
  datasource: (uid) =>
    new DataSourceVariable({
      name: 'datasource',
      label: 'Prometheus',
      pluginId: PROMETHEUS_DATASOURCE_TYPE,
      value: uid,
    }),
  cluster: clusterVariable,
  namespace: () =>
    inventoryVariable(
      'namespace',
      'Namespace',
      labelValues('namespace', [{ label: 'cluster', op: '=~', value: '$cluster' }])
    ),
  pod: () =>
    inventoryVariable(
      'pod',
      'Pod',
      labelValues('pod', [
        { label: 'cluster', op: '=~', value: '$cluster' },
        { label: 'namespace', op: '=~', value: '$namespace' },
      ])
    ),
  falcoSource: () =>
    new CustomVariable({
      name: 'falcoSource',
      label: 'Falco metrics',
      query: 'Falco (native) : native,falcosidekick : falcosidekick,falco-exporter (legacy) : legacy',
      value: 'native',
      text: 'Falco (native)',
    }),
  minPriority: () =>
    new CustomVariable({
      name: 'minPriority',
      label: 'Minimum priority',
      query: [ALL_PRIORITIES, ...FALCO_PRIORITIES].join(','),
      value: ALL_PRIORITIES,
      text: ALL_PRIORITIES,
    }),
  // The rule drilldown takes its rule from the URL path, not from a picker.
  rule: () => new CustomVariable({ name: 'rule', query: '', hide: VariableHide.hideVariable }),
};

// The page's variables, URL-synced as var-<name>; `omit` leaves out the ones a drilldown fixes by its path.
export function buildPageVariables(names: PageVariable[], prometheusUid: string, omit: PageVariable[] = []) {
  return new SceneVariableSet({
    variables: names.filter((n) => !omit.includes(n)).map((n) => BUILDERS[n](prometheusUid)),
  });
}
