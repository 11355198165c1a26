import type { PageSpec } from '../../scenes/spec';
import { BAD_FROM_ONE } from '../../scenes/valueColors';

// The cluster's security state at a glance; every table row and series opens the pod, namespace or rule behind it.
export const overviewSpec: PageSpec = {
  id: 'overview',
  title: 'Overview',
  description: 'The security state of your clusters, from Falco and Prometheus',
  variables: ['datasource', 'cluster', 'falcoSource', 'minPriority'],
  rows: [
    {
      title: 'Falco events',
      panels: [
        {
          title: 'Falco events by priority',
          queryId: 'falco.events.by_priority',
          width: 16,
          height: 8,
          pageLink: 'runtime',
        },
        {
          title: 'Critical and above',
          queryId: 'falco.events.critical_and_above',
          visualization: 'stat',
          width: 8,
          height: 8,
          pageLink: 'runtime',
          noValue: '0', // no critical series in the range means none happened (a missing exporter is shown as such)
          thresholds: BAD_FROM_ONE,
        },
        {
          title: 'Top rules',
          queryId: 'falco.rules.top',
          params: { topN: 10 },
          width: 12, // four columns: at 8 the match count, the column that matters, scrolled out of sight
          height: 9,
          drilldown: 'rule',
        },
        // Over time: these are rates, and a table of the range's end showed every namespace at 0 after an attack.
        {
          title: 'Events by namespace (falcosidekick)',
          queryId: 'falco.events.by_namespace',
          visualization: 'timeseries',
          width: 12,
          height: 9,
          drilldown: 'namespace',
        },
        {
          title: 'Events by pod (falcosidekick)',
          queryId: 'falco.events.by_pod',
          visualization: 'timeseries',
          width: 24,
          height: 9,
          drilldown: 'pod',
        },
      ],
    },
    {
      title: 'Kubernetes API',
      panels: [
        {
          title: 'API authentication failures',
          queryId: 'apiserver.authn.failures',
          width: 12,
          height: 7,
          pageLink: 'posture',
        },
        {
          title: 'exec, attach and port-forward requests',
          queryId: 'apiserver.exec_attach_portforward',
          width: 12,
          height: 7,
          pageLink: 'posture',
        },
      ],
    },
    {
      title: 'Falco health',
      panels: [
        { title: 'Kernel drops', queryId: 'falco.health.kernel_drops', width: 8, height: 6, pageLink: 'runtime' },
        { title: 'Queue drops', queryId: 'falco.health.queue_drops', width: 8, height: 6, pageLink: 'runtime' },
        {
          title: 'Nodes without Falco',
          queryId: 'falco.health.nodes_missing',
          visualization: 'stat',
          thresholds: BAD_FROM_ONE,
          width: 8,
          height: 6,
          pageLink: 'runtime',
        },
      ],
    },
    {
      title: 'Risk',
      panels: [
        {
          title: 'Pods with the highest risk score',
          queryId: 'risk.pod_score.top',
          params: { topN: 10 },
          visualization: 'table',
          width: 24,
          height: 9,
          drilldown: 'pod',
        },
      ],
    },
  ],
};
