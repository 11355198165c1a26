import { eventsSum } from '../eventCounts';
import { falcoEventMetric, falcoEventSelector, privilegedRulesMatcher } from '../falcoSources';
import { copyLabel, fixedMatcher } from '../labels';
import { rangeOf } from '../params';
import type { QueryEntry, QueryParams } from '../types';
import { POD_FACTS_RECORD } from './records';
import { kubeState, POD, recorded } from './workloadSelectors';

// What an analyst asks first about a pod, from kube-state-metrics (internal/store/pod.go): where it runs and with what
// privileges to the host (kube_pod_info: node, host_network, created_by_kind/created_by_name = its controller, the
// owner kube_pod_owner also lists), which images (kube_pod_container_info: container, image), as which service account
// (kube_pod_service_account: service_account) and with which limits (kube_pod_container_resource_limits). KSM has no
// securityContext metric: privileged containers are seen through Falco's rules (posture.privileged_launches).

const FACT_PARAMS: QueryEntry['params'] = ['cluster', 'namespace', 'pod'];
const FACTS_OF_POD = 'cluster, namespace, pod, node, host_network, created_by_kind, created_by_name';

// The last value in the range: a pod that ended before the range's end still has its facts shown.
const lastInRange = (metric: string, p: QueryParams, by: string, extra: string[] = []) =>
  `max by (${by}) (last_over_time(${kubeState(metric, p, extra)}[${rangeOf(p, '$__range')}]))`;
// The value now, as the rule engine reads it every interval.
const current = (metric: string, p: QueryParams, by: string) => `max by (${by}) (${kubeState(metric, p)})`;

// One row per container with its pod's facts, each metric read by `read`.
function factsJoin(p: QueryParams, read: (metric: string, p: QueryParams, by: string) => string): string {
  const containers = read('kube_pod_container_info', p, `${POD}, container, image`);
  const withPod = `${containers} * on (${POD}) group_left (node, host_network, created_by_kind, created_by_name) ${read('kube_pod_info', p, FACTS_OF_POD)}`;
  const serviceAccount = read('kube_pod_service_account', p, `${POD}, service_account`);
  // kube_pod_service_account is newer than the other metrics: without it the rows stay, without the column. The pods
  // without one join a 1 of their own, so the containers are read once (an `or` of two joins read them twice: 599 ms
  // against 428 ms for 1,376 containers' day at 50,000 series in bench:promql, same rows).
  const everyPod = `group by (${POD}) (${read('kube_pod_info', p, POD)})`;
  return `${withPod} * on (${POD}) group_left (service_account) (${serviceAccount} or on (${POD}) ${everyPod})`;
}

// From the raw series, each metric as last seen in the range (the fallback while the record is not installed: a
// day of four metrics' samples, 403 ms for 1,376 containers at 50,000 series in bench:promql).
const rawFacts = (p: QueryParams) => factsJoin(p, lastInRange);

// The record holds the join once a minute, one series per container: the panel reads one metric's samples (89 ms
// against 443 for the same 1,376 rows at 50,000 series). last_over_time keeps the record's name (funcLastOverTime,
// promql/functions.go); `max without ()` drops it, so the table has the raw form's columns.
const recordedFacts = (p: QueryParams) =>
  `max without () (last_over_time(${recorded(POD_FACTS_RECORD, p)}[${rangeOf(p, '$__range')}]))`;

// As last seen in the range, like the pod's other facts: a pod that ended before the range's end keeps its limits.
const limits = (resource: 'cpu' | 'memory', p: QueryParams) =>
  lastInRange('kube_pod_container_resource_limits', p, `${POD}, container`, [fixedMatcher('resource', '=', resource)]);

function privilegedByPod(p: QueryParams): string {
  const m = falcoEventMetric(p, true);
  const sel = falcoEventSelector(m, { ...p, rule: undefined }, [privilegedRulesMatcher(m)]);
  const by = `cluster, ${m.namespaceLabel}, ${m.podLabel}`;
  const counted = `(${eventsSum(sel, rangeOf(p, '$__range'), by)}) > 0`;
  // Renamed to kube-state-metrics' namespace and pod, the labels the join and the pod drilldown link read.
  const launches = `sum by (${POD}) (${copyLabel(copyLabel(counted, 'namespace', m.namespaceLabel!), 'pod', m.podLabel!)})`;
  const images = lastInRange('kube_pod_container_info', p, `${POD}, image`);
  // One row per image of the pod; a pod kube-state-metrics no longer knows keeps its row, without an image.
  return `(${images} * on (${POD}) group_left () ${launches}) or on (${POD}) ${launches}`;
}

export const podFactQueries: QueryEntry[] = [
  {
    id: 'workload.pod.facts',
    title: 'Pod facts',
    description:
      'Per container of the pod: its image, the node, whether the pod uses the host network, its controller ' +
      '(kind and name) and service account, from kube-state-metrics (kube_pod_info, kube_pod_container_info, ' +
      'kube_pod_service_account), as last seen in the range.',
    category: 'workload-resources',
    params: [...FACT_PARAMS, 'interval'],
    unit: 'none',
    visualization: 'table',
    legend: '{{namespace}}/{{pod}}/{{container}}',
    exporters: () => ['kube-state-metrics', 'recording-rules'],
    related: [
      'workload.pod.cpu_limits',
      'workload.pod.memory_limits',
      'posture.privileged_launches.by_pod',
      'workload.pod.facts.definition',
    ],
    recordingRule: POD_FACTS_RECORD,
    build: recordedFacts,
    fallback: rawFacts,
  },
  {
    id: 'workload.pod.facts.definition',
    title: 'Pod facts (recording rule definition)',
    description:
      "Each container joined with its pod's node, host network, controller and service account from " +
      `kube-state-metrics, as they are now; recorded once a minute as ${POD_FACTS_RECORD} for the pod facts table.`,
    category: 'workload-resources',
    params: FACT_PARAMS,
    unit: 'none',
    visualization: 'table',
    legend: '{{namespace}}/{{pod}}/{{container}}',
    exporters: () => ['kube-state-metrics'],
    related: ['workload.pod.facts'],
    recordingRule: POD_FACTS_RECORD,
    build: (p) => factsJoin(p, current),
  },
  {
    id: 'workload.pod.cpu_limits',
    title: 'CPU limits by container',
    description:
      'The CPU limit of each container of the pod (kube_pod_container_resource_limits{resource="cpu"}), as last seen ' +
      'in the range.',
    category: 'workload-resources',
    params: [...FACT_PARAMS, 'interval'],
    unit: 'suffix:cores',
    visualization: 'stat',
    instant: true,
    legend: '{{container}}',
    exporters: () => ['kube-state-metrics'],
    related: ['workload.cpu.limit_ratio', 'workload.pod.facts'],
    build: (p) => limits('cpu', p),
  },
  {
    id: 'workload.pod.memory_limits',
    title: 'Memory limits by container',
    description:
      'The memory limit of each container of the pod (kube_pod_container_resource_limits{resource="memory"}): at it, ' +
      'the kernel OOM-kills the container. As last seen in the range.',
    category: 'workload-resources',
    params: [...FACT_PARAMS, 'interval'],
    unit: 'bytes',
    visualization: 'stat',
    instant: true,
    legend: '{{container}}',
    exporters: () => ['kube-state-metrics'],
    related: ['workload.memory.limit_ratio', 'workload.pod.facts'],
    build: (p) => limits('memory', p),
  },
  {
    id: 'posture.privileged_launches.by_pod',
    title: 'Privileged launches by pod and image',
    description:
      "How many times Falco's privileged-container rules fired for each pod in the range, with the pod's images from " +
      'kube-state-metrics. Needs falcosidekick (or legacy falco-exporter): only they label events with the pod.',
    category: 'posture',
    params: ['cluster', 'namespace', 'pod', 'falcoSource', 'interval'],
    unit: 'short',
    visualization: 'table',
    legend: '{{namespace}}/{{pod}} {{image}}',
    exporters: (p) => [falcoEventMetric(p, true).exporter, 'kube-state-metrics'],
    related: ['posture.privileged_launches', 'workload.pod.facts'],
    build: privilegedByPod,
  },
];
