import { fixedMatcher } from '../labels';
import { rangeOf, topNOf } from '../params';
import type { QueryEntry, QueryParams } from '../types';
import { WHOLE_RANGE } from '../eventCounts';
import {
  CPU_RATIO_RECORD,
  MEMORY_RATIO_RECORD,
  POD_CPU_RECORD,
  POD_MEMORY_RECORD,
  POD_OOM_EVENTS_RECORD,
  POD_RESTARTS_RECORD,
  POD_PROCESSES_RECORD,
  POD_THREADS_RECORD,
  RESTARTS_RECORD,
} from './records';
import { rawPodRate, recordedPodRate } from './podRateRecords';
import { podCountEntries } from './podCounts';
import { byPeak, byRecordPeak, topPods, topRecordedPods, topRecordEntry } from './topPods';
import { cadvisorContainers, CONTAINER, kubeState, POD, recorded } from './workloadSelectors';

// Container resources from cAdvisor and kube-state-metrics: the footprint of cryptominers, fork bombs and crashes.

const POD_PARAMS: QueryEntry['params'] = ['cluster', 'namespace', 'pod', 'interval'];
const RECORD_PARAMS: QueryEntry['params'] = ['cluster', 'namespace', 'pod'];
const LIMIT_THRESHOLD = 0.9;

const cpuByPod = (p: QueryParams) =>
  `sum by (${POD}) (rate(${cadvisorContainers('container_cpu_usage_seconds_total', p)}[${rangeOf(p)}]))`;
const gaugeByPod = (metric: string) => (p: QueryParams) => `sum by (${POD}) (${cadvisorContainers(metric, p)})`;
const memoryByPod = gaugeByPod('container_memory_working_set_bytes');
// The per-pod series panels: only the top pods of the range when topN is given (topPods.ts). The raw form ranks by
// the sum of each container's peak, which bounds the pod's peak from above; the record's rank is the pod's own peak.
const rawGaugeByPod = (metric: string) => (p: QueryParams) =>
  topPods('sum', cadvisorContainers(metric, p), p, byPeak(cadvisorContainers(metric, p)));
// Ranked by the record's peak; with `top`, from its top record (topPods.ts byRecordPeak) where that is exact.
const recordedGaugeByPod =
  (record: string, top = false) =>
  (p: QueryParams) =>
    topRecordedPods(recorded(record, p), p, byRecordPeak(record, p, POD, top));
const TOP_POD_PARAMS: QueryEntry['params'] = ['cluster', 'namespace', 'pod', 'topN', 'interval'];
const restartCounters = (p: QueryParams) => kubeState('kube_pod_container_status_restarts_total', p);
const oomCounters = (p: QueryParams) => cadvisorContainers('container_oom_events_total', p);

// The definition entry of a per-pod gauge record: the containers' gauge summed by pod.
function podGaugeDefinition(id: string, title: string, unit: string, metric: string, record: string): QueryEntry {
  return {
    id: `${id}.definition`,
    title: `${title} (recording rule definition)`,
    description: `${title}: cAdvisor's ${metric} summed over each pod's containers, recorded as ${record} for the per-pod panel.`,
    category: 'workload-resources',
    params: ['cluster', 'namespace', 'pod'],
    unit,
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['cadvisor'],
    related: [id],
    recordingRule: record,
    build: gaugeByPod(metric),
  };
}

// Use over limit per container; containers without a limit have no kube_pod_container_resource_limits series.
export function limitRatio(resource: 'cpu' | 'memory', p: QueryParams): string {
  const usage =
    resource === 'cpu'
      ? `sum by (${CONTAINER}) (rate(${cadvisorContainers('container_cpu_usage_seconds_total', p)}[${rangeOf(p)}]))`
      : `sum by (${CONTAINER}) (${cadvisorContainers('container_memory_working_set_bytes', p)})`;
  const limit = `sum by (${CONTAINER}) (${kubeState('kube_pod_container_resource_limits', p, [fixedMatcher('resource', '=', resource)])})`;
  return `${usage} / ${limit}`;
}

// Joining usage to limits over a day of containers is too slow for a panel: panels read the recorded ratio, one series
// per container with a limit, as it is. Ranking 1,208 containers over a day and keeping the top 10 at every step took
// 204 ms at 50,000 series (reading them 109 ms, the join at each step most of the rest): the fleet's ranked view is by
// pod (podLimitRatios.ts), a pod's drilldown shows its containers.
// The table of containers near a limit: one instant query, its rows labelled like the other tables (no record name).
const ratioRows = (record: string, p: QueryParams) => `max by (${CONTAINER}) (${recorded(record, p)})`;
export const RATIO_EXPORTERS = ['recording-rules', 'cadvisor', 'kube-state-metrics'] as const;
// The peak of a per-pod record over the range (the dashboard time range by default): a burst earlier in the range
// keeps its pod on top after it ended. A record has one sample a minute, so a day's peak reads ~1,440 per pod.
const peakInRange = (record: string, p: QueryParams) =>
  `topk(${topNOf(p)}, max by (${POD}) (max_over_time(${recorded(record, { ...p, pod: undefined })}[${rangeOf(p, WHOLE_RANGE)}])) > 0)`;

export const workloadQueries: QueryEntry[] = [
  topRecordEntry('workload.cpu.by_pod', 'CPU by pod', POD_CPU_RECORD, ['cadvisor']),
  topRecordEntry('workload.memory.working_set', 'Memory working set by pod', POD_MEMORY_RECORD, ['cadvisor']),
  {
    id: 'workload.cpu.by_pod',
    title: 'CPU by pod',
    description:
      'CPU cores each pod uses (cAdvisor): a sudden, sustained climb is the classic cryptominer signature. With topN, ' +
      'only the pods with the highest CPU use at any time in the range (a burst that ended still ranks by it). From ' +
      `the recording rule ${POD_CPU_RECORD} (a 5m rate).`,
    category: 'workload-resources',
    params: [...POD_PARAMS, 'topN'],
    unit: 'suffix:cores',
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['cadvisor', 'recording-rules'],
    related: ['workload.cpu.limit_ratio', 'workload.cpu.top'],
    recordingRule: POD_CPU_RECORD,
    build: (p) => recordedPodRate(POD_CPU_RECORD, p, true),
    fallback: (p) => rawPodRate((q) => cadvisorContainers('container_cpu_usage_seconds_total', q), p, true),
  },
  {
    id: 'workload.cpu.limit_ratio',
    title: 'CPU use of limit',
    description:
      "Each container's CPU use (5m rate) as a fraction of its CPU limit, from the recording rule " +
      `${CPU_RATIO_RECORD}; containers without a limit are absent. For a pod or a namespace: over a fleet, ` +
      'workload.cpu.limit_ratio.by_pod ranks the pods.',
    category: 'workload-resources',
    params: RECORD_PARAMS,
    unit: 'percentunit',
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}/{{container}}',
    exporters: () => [...RATIO_EXPORTERS],
    related: [
      'workload.cpu.limit_ratio.by_pod',
      'workload.cpu.by_pod',
      'workload.near_limits',
      'workload.cpu.limit_ratio.definition',
    ],
    recordingRule: CPU_RATIO_RECORD,
    build: (p) => recorded(CPU_RATIO_RECORD, p),
  },
  {
    id: 'workload.cpu.limit_ratio.definition',
    title: 'CPU use of limit (recording rule definition)',
    description:
      "How the CPU ratio is computed: each container's CPU use over the interval divided by its CPU limit from " +
      `kube-state-metrics. Recorded as ${CPU_RATIO_RECORD} with a 5m rate.`,
    category: 'workload-resources',
    params: POD_PARAMS,
    unit: 'percentunit',
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}/{{container}}',
    exporters: () => ['cadvisor', 'kube-state-metrics'],
    related: ['workload.cpu.limit_ratio'],
    recordingRule: CPU_RATIO_RECORD,
    build: (p) => limitRatio('cpu', p),
  },
  {
    id: 'workload.cpu.top',
    title: 'Top pods by CPU',
    description: `The pods with the highest CPU use (cores, 5m rate) at any time in the range, from the recording rule ${POD_CPU_RECORD}.`,
    category: 'workload-resources',
    params: ['cluster', 'namespace', 'interval', 'topN'],
    unit: 'suffix:cores',
    visualization: 'table',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['recording-rules', 'cadvisor'],
    related: ['workload.cpu.by_pod', 'workload.cpu.by_pod.definition'],
    recordingRule: POD_CPU_RECORD,
    build: (p) => peakInRange(POD_CPU_RECORD, p),
  },
  {
    id: 'workload.cpu.by_pod.definition',
    title: 'CPU by pod (recording rule definition)',
    description: `CPU cores each pod uses (cAdvisor, 5m rate), recorded as ${POD_CPU_RECORD} for the range-wide top table.`,
    category: 'workload-resources',
    params: POD_PARAMS,
    unit: 'short',
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['cadvisor'],
    related: ['workload.cpu.top'],
    recordingRule: POD_CPU_RECORD,
    build: cpuByPod,
  },
  {
    id: 'workload.memory.working_set',
    title: 'Memory working set by pod',
    description:
      'Working-set bytes per pod (cAdvisor), the figure the kubelet uses for OOM decisions. With topN, only the pods ' +
      `with the highest peak in the range. From the recording rule ${POD_MEMORY_RECORD}.`,
    category: 'workload-resources',
    params: TOP_POD_PARAMS,
    unit: 'bytes',
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['cadvisor', 'recording-rules'],
    related: ['workload.memory.limit_ratio', 'workload.memory.top'],
    recordingRule: POD_MEMORY_RECORD,
    build: recordedGaugeByPod(POD_MEMORY_RECORD, true),
    fallback: rawGaugeByPod('container_memory_working_set_bytes'),
  },
  {
    id: 'workload.memory.limit_ratio',
    title: 'Memory use of limit',
    description:
      "Each container's working set as a fraction of its memory limit (at 1 the kernel OOM-kills it), from the " +
      `recording rule ${MEMORY_RATIO_RECORD}. For a pod or a namespace: over a fleet, ` +
      'workload.memory.limit_ratio.by_pod ranks the pods.',
    category: 'workload-resources',
    params: RECORD_PARAMS,
    unit: 'percentunit',
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}/{{container}}',
    exporters: () => [...RATIO_EXPORTERS],
    related: [
      'workload.memory.limit_ratio.by_pod',
      'workload.memory.working_set',
      'workload.near_limits',
      'workload.oom_events',
      'workload.memory.limit_ratio.definition',
    ],
    recordingRule: MEMORY_RATIO_RECORD,
    build: (p) => recorded(MEMORY_RATIO_RECORD, p),
  },
  {
    id: 'workload.memory.limit_ratio.definition',
    title: 'Memory use of limit (recording rule definition)',
    description:
      "How the memory ratio is computed: each container's working set divided by its memory limit from " +
      `kube-state-metrics. Recorded as ${MEMORY_RATIO_RECORD}.`,
    category: 'workload-resources',
    params: ['cluster', 'namespace', 'pod'],
    unit: 'percentunit',
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}/{{container}}',
    exporters: () => ['cadvisor', 'kube-state-metrics'],
    related: ['workload.memory.limit_ratio'],
    recordingRule: MEMORY_RATIO_RECORD,
    build: (p) => limitRatio('memory', p),
  },
  {
    id: 'workload.memory.top',
    title: 'Top pods by memory',
    description: `The pods with the largest memory working set at any time in the range, from the recording rule ${POD_MEMORY_RECORD}.`,
    category: 'workload-resources',
    params: ['cluster', 'namespace', 'interval', 'topN'],
    unit: 'bytes',
    visualization: 'table',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['recording-rules', 'cadvisor'],
    related: ['workload.memory.working_set', 'workload.memory.working_set.definition'],
    recordingRule: POD_MEMORY_RECORD,
    build: (p) => peakInRange(POD_MEMORY_RECORD, p),
  },
  {
    id: 'workload.memory.working_set.definition',
    title: 'Memory working set by pod (recording rule definition)',
    description: `Working-set bytes per pod (cAdvisor), recorded as ${POD_MEMORY_RECORD} for the per-pod panel and the range-wide top table.`,
    category: 'workload-resources',
    params: ['cluster', 'namespace', 'pod'],
    unit: 'bytes',
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['cadvisor'],
    related: ['workload.memory.top'],
    recordingRule: POD_MEMORY_RECORD,
    build: memoryByPod,
  },
  {
    id: 'workload.processes',
    title: 'Processes by pod',
    description:
      'Processes running in each pod (cAdvisor container_processes): a jump can be a fork bomb or a spawned shell. ' +
      `With topN, only the pods with the highest peak in the range. From the recording rule ${POD_PROCESSES_RECORD}.`,
    category: 'workload-resources',
    params: TOP_POD_PARAMS,
    unit: 'suffix:processes',
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['cadvisor', 'recording-rules'],
    related: ['workload.threads', 'workload.processes.definition'],
    recordingRule: POD_PROCESSES_RECORD,
    build: recordedGaugeByPod(POD_PROCESSES_RECORD),
    fallback: rawGaugeByPod('container_processes'),
  },
  podGaugeDefinition(
    'workload.processes',
    'Processes by pod',
    'suffix:processes',
    'container_processes',
    POD_PROCESSES_RECORD
  ),
  {
    id: 'workload.threads',
    title: 'Threads by pod',
    description:
      'Threads running in each pod (cAdvisor container_threads). With topN, only the pods with the highest peak in the ' +
      `range. From the recording rule ${POD_THREADS_RECORD}.`,
    category: 'workload-resources',
    params: TOP_POD_PARAMS,
    unit: 'suffix:threads',
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['cadvisor', 'recording-rules'],
    related: ['workload.processes', 'workload.threads.definition'],
    recordingRule: POD_THREADS_RECORD,
    build: recordedGaugeByPod(POD_THREADS_RECORD),
    fallback: rawGaugeByPod('container_threads'),
  },
  podGaugeDefinition('workload.threads', 'Threads by pod', 'suffix:threads', 'container_threads', POD_THREADS_RECORD),
  ...podCountEntries({
    id: 'workload.oom_events',
    title: 'OOM events by pod',
    description:
      'Out-of-memory kills per pod in each interval, whole kills (cAdvisor container_oom_events_total), from the ' +
      `recording rule ${POD_OOM_EVENTS_RECORD}. With topN, only the pods with the most kills in the range; a pod ` +
      'without one is left out.',
    unit: 'suffix:kills',
    exporter: 'cadvisor',
    record: POD_OOM_EVENTS_RECORD,
    selector: oomCounters,
    related: ['workload.oom_killed', 'workload.memory.limit_ratio'],
  }),
  {
    id: 'workload.oom_killed',
    title: 'Containers last killed by OOM',
    description:
      'Containers whose last termination was an OOM kill (kube-state-metrics), with their namespace and pod.',
    category: 'workload-resources',
    params: ['cluster', 'namespace', 'pod'],
    unit: 'suffix:containers',
    visualization: 'table',
    legend: '{{namespace}}/{{pod}}/{{container}}',
    exporters: () => ['kube-state-metrics'],
    related: ['workload.oom_events', 'workload.restarts'],
    build: (p) =>
      `max by (${CONTAINER}) (${kubeState('kube_pod_container_status_last_terminated_reason', p, [fixedMatcher('reason', '=', 'OOMKilled')])}) > 0`,
  },
  ...podCountEntries({
    id: 'workload.restarts',
    title: 'Container restarts by pod',
    description:
      'Container restarts per pod in each interval, whole restarts (kube-state-metrics): crashes, OOM kills, failed ' +
      `probes. From the recording rule ${POD_RESTARTS_RECORD}. With topN, only the pods with the most restarts in the ` +
      'range; a pod without one is left out.',
    unit: 'suffix:restarts',
    exporter: 'kube-state-metrics',
    record: POD_RESTARTS_RECORD,
    selector: restartCounters,
    related: ['workload.crashloop', 'workload.oom_events'],
  }),
  {
    id: 'risk.pod_restarts.definition',
    title: 'Restarts by pod in the last hour (recording rule definition)',
    description:
      `Container restarts per pod (kube-state-metrics), increase() over the interval, recorded as ${RESTARTS_RECORD} ` +
      'for the risk score.',
    category: 'workload-resources',
    params: POD_PARAMS,
    unit: 'suffix:restarts',
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['kube-state-metrics'],
    related: ['risk.pod_score', 'workload.restarts'],
    recordingRule: RESTARTS_RECORD,
    build: (p) => `sum by (${POD}) (increase(${restartCounters(p)}[${rangeOf(p)}]))`,
  },
  {
    id: 'workload.crashloop',
    title: 'Containers in CrashLoopBackOff',
    description:
      'Containers that waited in CrashLoopBackOff at any time in the range (kube-state-metrics). kube-state-metrics ' +
      'exports the reason only while the container waits, not while it runs between crashes; over the range the ' +
      'table does not flicker from one scrape to the next.',
    category: 'workload-resources',
    params: ['cluster', 'namespace', 'pod', 'interval'],
    unit: 'suffix:containers',
    visualization: 'table',
    legend: '{{namespace}}/{{pod}}/{{container}}',
    exporters: () => ['kube-state-metrics'],
    related: ['workload.restarts'],
    build: (p) =>
      `max by (${CONTAINER}) (max_over_time(${kubeState('kube_pod_container_status_waiting_reason', p, [fixedMatcher('reason', '=', 'CrashLoopBackOff')])}[${rangeOf(p, WHOLE_RANGE)}])) > 0`,
  },
  {
    id: 'workload.near_limits',
    title: 'Containers near their limits',
    description:
      `Containers at ${LIMIT_THRESHOLD * 100}% or more of their CPU or memory limit, with the resource in the ` +
      'resource label: CPU pinned at the limit is a cryptominer sign, memory at the limit an imminent OOM kill. ' +
      'Reads the CPU and memory ratio recording rules.',
    category: 'workload-resources',
    params: RECORD_PARAMS,
    unit: 'percentunit',
    visualization: 'table',
    legend: '{{namespace}}/{{pod}}/{{container}} {{resource}}',
    exporters: () => [...RATIO_EXPORTERS],
    related: ['workload.cpu.limit_ratio', 'workload.memory.limit_ratio'],
    build: (p) =>
      `label_replace(${ratioRows(CPU_RATIO_RECORD, p)} >= ${LIMIT_THRESHOLD}, "resource", "cpu", "", "") or ` +
      `label_replace(${ratioRows(MEMORY_RATIO_RECORD, p)} >= ${LIMIT_THRESHOLD}, "resource", "memory", "", "")`,
  },
];
