import type { PageSpec } from '../../scenes/spec';

// Container abuse shows up as resource use: the lab's DoS pod burns CPU with `openssl speed` up to its limit.
export const resourcesSpec: PageSpec = {
  id: 'resources',
  title: 'Resources',
  description: 'CPU, memory, processes, OOM kills and restarts per namespace and pod, and pods near their limits',
  variables: ['datasource', 'cluster', 'namespace', 'pod'],
  rows: [
    {
      title: 'Near or over their limits',
      panels: [
        // Over time: a table shows the end of the range only, empty when the burn being looked at ended before it.
        {
          title: 'Pods at 90% or more of a limit',
          queryId: 'workload.near_limits',
          visualization: 'timeseries',
          width: 24,
          height: 8,
          drilldown: 'pod',
        },
        {
          title: 'CPU use of limit by pod',
          queryId: 'workload.cpu.limit_ratio.by_pod',
          width: 12,
          height: 8,
          drilldown: 'pod',
        },
        {
          title: 'Memory use of limit by pod',
          queryId: 'workload.memory.limit_ratio.by_pod',
          width: 12,
          height: 8,
          drilldown: 'pod',
        },
      ],
    },
    {
      title: 'Top consumers',
      panels: [
        {
          title: 'Top CPU',
          queryId: 'workload.cpu.top',
          params: { topN: 10 },
          visualization: 'table',
          width: 12,
          height: 8,
          drilldown: 'pod',
        },
        {
          title: 'Top memory',
          queryId: 'workload.memory.top',
          params: { topN: 10 },
          visualization: 'table',
          width: 12,
          height: 8,
          drilldown: 'pod',
        },
      ],
    },
    {
      title: 'Usage',
      panels: [
        { title: 'CPU by pod', queryId: 'workload.cpu.by_pod', width: 12, height: 8, drilldown: 'pod' },
        { title: 'Memory working set', queryId: 'workload.memory.working_set', width: 12, height: 8, drilldown: 'pod' },
        { title: 'Processes', queryId: 'workload.processes', width: 12, height: 8, drilldown: 'pod' },
        { title: 'Threads', queryId: 'workload.threads', width: 12, height: 8, drilldown: 'pod' },
      ],
    },
    {
      title: 'Failures',
      panels: [
        { title: 'OOM kills', queryId: 'workload.oom_events', width: 8, height: 7, drilldown: 'pod' },
        { title: 'Restarts', queryId: 'workload.restarts', width: 8, height: 7, drilldown: 'pod' },
        {
          title: 'Crash-looping containers',
          queryId: 'workload.crashloop',
          visualization: 'table',
          width: 8,
          height: 7,
          drilldown: 'pod',
        },
      ],
    },
  ],
};
