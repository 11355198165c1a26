import type { PageSpec } from '../spec';

// Every signal about one pod on one screen; the pod and its namespace come from the drilldown's URL.
export const podDrilldownSpec: PageSpec = {
  id: 'pod',
  title: 'Pod',
  description: 'Falco events, resource use against limits, network, restarts and risk score of one pod',
  variables: ['datasource', 'cluster', 'namespace', 'pod', 'falcoSource', 'minPriority'],
  rows: [
    {
      title: 'Pod',
      panels: [
        // Where it runs, what it runs and with which rights: the first questions about a pod in an incident.
        { title: 'Containers, images, node and owner', queryId: 'workload.pod.facts', width: 24, height: 5 },
        {
          title: 'Privileged launches',
          queryId: 'posture.privileged_launches.by_pod',
          visualization: 'table',
          width: 12, // image, namespace, pod and the count side by side
          height: 5,
        },
        { title: 'CPU limits', queryId: 'workload.pod.cpu_limits', width: 6, height: 5, noValue: 'no limit' },
        { title: 'Memory limits', queryId: 'workload.pod.memory_limits', width: 6, height: 5, noValue: 'no limit' },
      ],
    },
    {
      title: 'Falco events (falcosidekick)',
      panels: [
        // The pod's worst hour in the range: an intrusion earlier in the range keeps the score up.
        {
          title: 'Risk score',
          queryId: 'risk.pod_score',
          visualization: 'stat',
          reduce: 'max',
          width: 4,
          height: 8,
        },
        { title: 'Events by rule', queryId: 'falco.events.by_rule', width: 10, height: 8, drilldown: 'rule' },
        { title: 'Events by priority', queryId: 'falco.events.by_priority', width: 10, height: 8 },
      ],
    },
    {
      title: 'Resources',
      panels: [
        { title: 'CPU', queryId: 'workload.cpu.by_pod', width: 12, height: 7 },
        // A container without a limit has no ratio series.
        { title: 'CPU use of limit', queryId: 'workload.cpu.limit_ratio', width: 12, height: 7, noValue: 'no limit' },
        { title: 'Memory working set', queryId: 'workload.memory.working_set', width: 12, height: 7 },
        {
          title: 'Memory use of limit',
          queryId: 'workload.memory.limit_ratio',
          width: 12,
          height: 7,
          noValue: 'no limit',
        },
        { title: 'Processes', queryId: 'workload.processes', width: 8, height: 7 },
        { title: 'Threads', queryId: 'workload.threads', width: 8, height: 7 },
        { title: 'Restarts', queryId: 'workload.restarts', width: 8, height: 7 },
        { title: 'OOM kills', queryId: 'workload.oom_events', width: 8, height: 7 },
      ],
    },
    {
      title: 'Network',
      panels: [
        { title: 'Received packets', queryId: 'network.pod.receive_packets', width: 12, height: 7 },
        { title: 'Transmitted packets', queryId: 'network.pod.transmit_packets', width: 12, height: 7 },
        { title: 'Received bytes', queryId: 'network.pod.receive_bytes', width: 12, height: 7 },
        { title: 'Transmitted bytes', queryId: 'network.pod.transmit_bytes', width: 12, height: 7 },
      ],
    },
  ],
};
