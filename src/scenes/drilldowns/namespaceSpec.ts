import type { PageSpec } from '../spec';

// The pod drilldown's signals summed over a namespace, with its pods listed to drill further.
export const namespaceDrilldownSpec: PageSpec = {
  id: 'namespace',
  title: 'Namespace',
  description: 'Falco events, resource use, network and restarts of one namespace, and its pods',
  variables: ['datasource', 'cluster', 'namespace', 'falcoSource', 'minPriority'],
  rows: [
    {
      title: 'Pods',
      panels: [
        // Over time: these are rates, and a table of the range's end showed 0 for a pod attacked earlier in it.
        {
          title: 'Falco events by pod (falcosidekick)',
          queryId: 'falco.events.by_pod',
          visualization: 'timeseries',
          width: 8,
          height: 8,
          drilldown: 'pod',
        },
        {
          title: 'Pods by risk score',
          queryId: 'risk.pod_score.top',
          params: { topN: 20 },
          visualization: 'table',
          width: 8,
          height: 8,
          drilldown: 'pod',
        },
        {
          title: 'Pods by CPU',
          queryId: 'workload.cpu.top',
          params: { topN: 20 },
          visualization: 'table',
          width: 8,
          height: 8,
          drilldown: 'pod',
        },
      ],
    },
    {
      title: 'Falco events (falcosidekick)',
      panels: [
        { title: 'Events by rule', queryId: 'falco.events.by_rule', width: 12, height: 8, drilldown: 'rule' },
        { title: 'Events by priority', queryId: 'falco.events.by_priority', width: 12, height: 8 },
      ],
    },
    {
      title: 'Resources',
      panels: [
        { title: 'CPU by pod', queryId: 'workload.cpu.by_pod', width: 12, height: 7, drilldown: 'pod' },
        { title: 'Memory working set', queryId: 'workload.memory.working_set', width: 12, height: 7, drilldown: 'pod' },
        {
          title: 'Pods near their limits',
          queryId: 'workload.near_limits',
          visualization: 'timeseries', // when, not only at the end of the range
          width: 8,
          height: 7,
          drilldown: 'pod',
        },
        { title: 'Restarts', queryId: 'workload.restarts', width: 8, height: 7, drilldown: 'pod' },
        { title: 'OOM kills', queryId: 'workload.oom_events', width: 8, height: 7, drilldown: 'pod' },
      ],
    },
    {
      title: 'Network',
      panels: [
        { title: 'Received packets', queryId: 'network.pod.receive_packets', width: 12, height: 7, drilldown: 'pod' },
        {
          title: 'Transmitted packets',
          queryId: 'network.pod.transmit_packets',
          width: 12,
          height: 7,
          drilldown: 'pod',
        },
      ],
    },
  ],
};
