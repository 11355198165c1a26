import { counter, gauge, NS, NS_DECOY, out, POD, POD_DECOY, type QueryCase, s } from './shared';

// promtool 2.42 compares exactly: expected ratios are the same IEEE division Prometheus does. cAdvisor per-container series (plus the pod cgroup total, container="" image="", which must not count twice)
// and kube-state-metrics per-container series.
const c = (namespace: string, pod: string, container: string, image: string) => ({ namespace, pod, container, image });
const APP = c(NS, POD, 'app', 'shop:1');
const SIDECAR = c(NS, POD, 'sidecar', 'envoy:1');
const POD_TOTAL = c(NS, POD, '', '');
const OTHER_NS = c(NS_DECOY, POD, 'app', 'shop:1');
const OTHER_POD = c(NS, POD_DECOY, 'app', 'shop:1');
const ksm = (namespace: string, pod: string, container: string, extra: Record<string, string> = {}) => ({
  namespace,
  pod,
  container,
  ...extra,
});

const series = [
  s('container_cpu_usage_seconds_total', APP, counter(60)),
  s('container_cpu_usage_seconds_total', SIDECAR, counter(7.5)),
  s('container_cpu_usage_seconds_total', POD_TOTAL, counter(67.5)),
  s('container_cpu_usage_seconds_total', OTHER_NS, counter(120)),
  s('container_cpu_usage_seconds_total', OTHER_POD, counter(30)),
  s('container_memory_working_set_bytes', APP, gauge(950)),
  s('container_memory_working_set_bytes', SIDECAR, gauge(50)),
  s('container_memory_working_set_bytes', POD_TOTAL, gauge(1000)),
  s('container_memory_working_set_bytes', OTHER_NS, gauge(100)),
  s('container_memory_working_set_bytes', OTHER_POD, gauge(10)),
  s('kube_pod_container_resource_limits', ksm(NS, POD, 'app', { resource: 'cpu', unit: 'core' }), gauge(1.05)),
  s('kube_pod_container_resource_limits', ksm(NS, POD, 'sidecar', { resource: 'cpu', unit: 'core' }), gauge(0.5)),
  s('kube_pod_container_resource_limits', ksm(NS_DECOY, POD, 'app', { resource: 'cpu', unit: 'core' }), gauge(4)),
  s('kube_pod_container_resource_limits', ksm(NS, POD_DECOY, 'app', { resource: 'cpu', unit: 'core' }), gauge(0.5)),
  s('kube_pod_container_resource_limits', ksm(NS, POD, 'app', { resource: 'memory', unit: 'byte' }), gauge(1000)),
  s('kube_pod_container_resource_limits', ksm(NS_DECOY, POD, 'app', { resource: 'memory', unit: 'byte' }), gauge(1000)),
  s('container_processes', APP, gauge(3)),
  s('container_processes', POD_TOTAL, gauge(5)),
  s('container_processes', OTHER_NS, gauge(7)),
  s('container_threads', APP, gauge(30)),
  s('container_threads', POD_TOTAL, gauge(50)),
  s('container_threads', OTHER_NS, gauge(70)),
  s('container_oom_events_total', APP, counter(1)),
  s('container_oom_events_total', OTHER_NS, counter(2)),
  s('kube_pod_container_status_last_terminated_reason', ksm(NS, POD, 'app', { reason: 'OOMKilled' }), gauge(1)),
  s('kube_pod_container_status_last_terminated_reason', ksm(NS, POD, 'sidecar', { reason: 'Error' }), gauge(1)),
  s('kube_pod_container_status_last_terminated_reason', ksm(NS_DECOY, POD, 'app', { reason: 'OOMKilled' }), gauge(1)),
  s('kube_pod_container_status_restarts_total', ksm(NS, POD, 'app'), counter(1)),
  s('kube_pod_container_status_restarts_total', ksm(NS, POD, 'sidecar'), counter(1)),
  s('kube_pod_container_status_restarts_total', ksm(NS_DECOY, POD, 'app'), counter(2)),
  s('kube_pod_container_status_waiting_reason', ksm(NS, POD, 'app', { reason: 'CrashLoopBackOff' }), gauge(1)),
  s('kube_pod_container_status_waiting_reason', ksm(NS, POD, 'sidecar', { reason: 'ContainerCreating' }), gauge(1)),
  s('kube_pod_container_status_waiting_reason', ksm(NS_DECOY, POD, 'app', { reason: 'CrashLoopBackOff' }), gauge(1)),
];
// The ratio records as the recording group writes them: one series per container with a limit.
const CPU_RECORD = 'containersec:container_cpu_limit_ratio';
const MEMORY_RECORD = 'containersec:container_memory_limit_ratio';
const records = [
  s(CPU_RECORD, ksm(NS, POD, 'app'), gauge(0.95)),
  s(CPU_RECORD, ksm(NS, POD, 'sidecar'), gauge(0.25)),
  s(CPU_RECORD, ksm(NS_DECOY, POD, 'app'), gauge(0.99)),
  s(CPU_RECORD, ksm(NS, POD_DECOY, 'app'), gauge(0.9)),
  s(MEMORY_RECORD, ksm(NS, POD, 'app'), gauge(0.5)),
  s(MEMORY_RECORD, ksm(NS, POD, 'sidecar'), gauge(0.97)),
  s(MEMORY_RECORD, ksm(NS_DECOY, POD, 'sidecar'), gauge(0.98)),
];
// The per-pod CPU and memory records: the miner burned 3.8 cores from minute 30 to 40 and is quiet now.
const POD_CPU = 'containersec:pod_cpu_usage:rate5m';
const POD_MEMORY = 'containersec:pod_memory_working_set:bytes';
const podRecords = [
  s(POD_CPU, { namespace: NS, pod: 'miner' }, '0.1x29 3.8x10 0.1x40'),
  s(POD_CPU, { namespace: NS, pod: POD }, gauge(1.125)),
  s(POD_CPU, { namespace: NS_DECOY, pod: POD }, gauge(2)),
  s(POD_MEMORY, { namespace: NS, pod: 'leaky' }, '100x29 5000x10 100x40'),
  s(POD_MEMORY, { namespace: NS, pod: POD }, gauge(1000)),
  s(POD_MEMORY, { namespace: NS_DECOY, pod: POD }, gauge(100)),
];
// kube-state-metrics exports the waiting reason only while the container waits: a crash loop flickers between
// scrapes (waiting 4 minutes, running 1).
const flickering = [
  s(
    'kube_pod_container_status_waiting_reason',
    ksm(NS, POD, 'app', { reason: 'CrashLoopBackOff' }),
    '1x3 stale 1x3 stale 1x3 stale 1x3 stale'
  ),
];
const i = '5m';
const pod = (namespace: string, p: string) => ({ namespace, pod: p });
const ctr = (namespace: string, p: string, container: string) => ({ namespace, pod: p, container });
const cpuRecord = (namespace: string, p: string, container: string) => ({
  __name__: CPU_RECORD,
  ...ctr(namespace, p, container),
});
const one = { interval: i, namespace: NS, pod: POD };
const restartsOf = (p: string, values: string) =>
  s('kube_pod_container_status_restarts_total', ksm(NS, p, 'app'), values);
const bornRestarts = [
  restartsOf('born-steady', '_x7 3x73'),
  restartsOf('born-in-window', '_x7 0+1x73'),
  restartsOf('born-before', '_x3 0+1x77'),
  restartsOf('born-growing', '_x7 3+1x73'),
];

export const workloadCases: QueryCase[] = [
  {
    name: 'every pod, the pod total not counted twice',
    id: 'workload.cpu.by_pod',
    params: { interval: i },
    series,
    expected: [out(pod(NS, POD), 1.125), out(pod(NS_DECOY, POD), 2), out(pod(NS, POD_DECOY), 0.5)],
  },
  {
    name: 'hostile namespace and pod',
    id: 'workload.cpu.by_pod',
    params: one,
    series,
    expected: [out(pod(NS, POD), 1.125)],
  },
  {
    name: 'hostile namespace and pod',
    id: 'workload.cpu.limit_ratio.definition',
    params: one,
    series,
    expected: [out(ctr(NS, POD, 'app'), 1 / 1.05), out(ctr(NS, POD, 'sidecar'), 0.25)],
  },
  {
    name: 'every container with a limit',
    id: 'workload.cpu.limit_ratio.definition',
    params: { interval: i },
    series,
    expected: [
      out(ctr(NS, POD, 'app'), 1 / 1.05),
      out(ctr(NS, POD, 'sidecar'), 0.25),
      out(ctr(NS_DECOY, POD, 'app'), 0.5),
      out(ctr(NS, POD_DECOY, 'app'), 1),
    ],
  },
  // Without topN the record is read as it is (topRecordedPods), its name kept.
  {
    name: 'the recorded ratio of the hostile namespace and pod',
    id: 'workload.cpu.limit_ratio',
    params: { namespace: NS, pod: POD },
    series: records,
    expected: [out(cpuRecord(NS, POD, 'app'), 0.95), out(cpuRecord(NS, POD, 'sidecar'), 0.25)],
  },
  {
    name: 'the recorded ratio of every container',
    id: 'workload.cpu.limit_ratio',
    params: {},
    series: records,
    expected: [
      out(cpuRecord(NS, POD, 'app'), 0.95),
      out(cpuRecord(NS, POD, 'sidecar'), 0.25),
      out(cpuRecord(NS_DECOY, POD, 'app'), 0.99),
      out(cpuRecord(NS, POD_DECOY, 'app'), 0.9),
    ],
  },
  {
    name: 'top 1 in a hostile namespace: the peak of the range, after the burst ended',
    id: 'workload.cpu.top',
    params: { interval: '1h', topN: 1, namespace: NS },
    series: podRecords,
    evalTime: '60m',
    expected: [out(pod(NS, 'miner'), 3.8)],
  },
  {
    name: 'top 1 in the last 10 minutes: the burst is out of the range',
    id: 'workload.cpu.top',
    params: { interval: '10m', topN: 1 },
    series: podRecords,
    evalTime: '60m',
    expected: [out(pod(NS_DECOY, POD), 2)],
  },
  {
    name: 'hostile namespace and pod',
    id: 'workload.cpu.by_pod.definition',
    params: one,
    series,
    expected: [out(pod(NS, POD), 1.125)],
  },
  {
    name: 'hostile namespace',
    id: 'workload.memory.working_set',
    params: { namespace: NS },
    series,
    expected: [out(pod(NS, POD), 1000), out(pod(NS, POD_DECOY), 10)],
  },
  {
    name: 'every pod',
    id: 'workload.memory.working_set',
    params: {},
    series,
    expected: [out(pod(NS, POD), 1000), out(pod(NS, POD_DECOY), 10), out(pod(NS_DECOY, POD), 100)],
  },
  {
    name: 'hostile namespace and pod',
    id: 'workload.memory.limit_ratio.definition',
    params: { namespace: NS, pod: POD },
    series,
    expected: [out(ctr(NS, POD, 'app'), 0.95)],
  },
  {
    name: 'every container with a limit',
    id: 'workload.memory.limit_ratio.definition',
    params: {},
    series,
    expected: [out(ctr(NS, POD, 'app'), 0.95), out(ctr(NS_DECOY, POD, 'app'), 0.1)],
  },
  {
    name: 'the recorded ratio of the hostile namespace and pod',
    id: 'workload.memory.limit_ratio',
    params: { namespace: NS, pod: POD },
    series: records,
    expected: [
      out({ __name__: MEMORY_RECORD, ...ctr(NS, POD, 'app') }, 0.5),
      out({ __name__: MEMORY_RECORD, ...ctr(NS, POD, 'sidecar') }, 0.97),
    ],
  },
  {
    name: 'top 1: the peak of the range, after it went down',
    id: 'workload.memory.top',
    params: { topN: 1, interval: '1h' },
    series: podRecords,
    evalTime: '60m',
    expected: [out(pod(NS, 'leaky'), 5000)],
  },
  {
    name: 'top 1 in the decoy namespace',
    id: 'workload.memory.top',
    params: { topN: 1, namespace: NS_DECOY, interval: '1h' },
    series: podRecords,
    evalTime: '60m',
    expected: [out(pod(NS_DECOY, POD), 100)],
  },
  {
    name: 'hostile namespace and pod',
    id: 'workload.memory.working_set.definition',
    params: { namespace: NS, pod: POD },
    series,
    expected: [out(pod(NS, POD), 1000)],
  },
  {
    name: 'hostile namespace and pod',
    id: 'workload.processes',
    params: { namespace: NS, pod: POD },
    series,
    expected: [out(pod(NS, POD), 3)],
  },
  {
    name: 'every pod',
    id: 'workload.processes',
    params: {},
    series,
    expected: [out(pod(NS, POD), 3), out(pod(NS_DECOY, POD), 7)],
  },
  {
    name: 'hostile namespace and pod: the containers summed, the pod total not counted twice',
    id: 'workload.processes.definition',
    params: { namespace: NS, pod: POD },
    series,
    expected: [out(pod(NS, POD), 3)],
  },
  {
    name: 'every pod',
    id: 'workload.processes.definition',
    params: {},
    series,
    expected: [out(pod(NS, POD), 3), out(pod(NS_DECOY, POD), 7)],
  },
  {
    name: 'hostile namespace and pod: the containers summed, the pod total not counted twice',
    id: 'workload.threads.definition',
    params: { namespace: NS, pod: POD },
    series,
    expected: [out(pod(NS, POD), 30)],
  },
  {
    name: 'hostile namespace and pod',
    id: 'workload.threads',
    params: { namespace: NS, pod: POD },
    series,
    expected: [out(pod(NS, POD), 30)],
  },
  {
    name: 'hostile namespace',
    id: 'workload.oom_events',
    params: { interval: i, namespace: NS },
    series,
    expected: [out(pod(NS, POD), 5)],
  },
  {
    name: 'every pod',
    id: 'workload.oom_events',
    params: { interval: i },
    series,
    expected: [out(pod(NS, POD), 5), out(pod(NS_DECOY, POD), 10)],
  },
  {
    name: 'hostile namespace',
    id: 'workload.oom_killed',
    params: { namespace: NS },
    series,
    expected: [out(ctr(NS, POD, 'app'), 1)],
  },
  {
    name: 'hostile namespace and pod',
    id: 'workload.restarts',
    params: one,
    series,
    expected: [out(pod(NS, POD), 10)],
  },
  {
    name: 'every pod',
    id: 'workload.restarts',
    params: { interval: i },
    series,
    expected: [out(pod(NS, POD), 10), out(pod(NS_DECOY, POD), 10)],
  },
  {
    name: 'hostile namespace',
    id: 'workload.crashloop',
    params: { namespace: NS, interval: '5m' },
    series,
    expected: [out(ctr(NS, POD, 'app'), 1)],
  },
  {
    name: 'every pod',
    id: 'workload.crashloop',
    params: { interval: '5m' },
    series,
    expected: [out(ctr(NS, POD, 'app'), 1), out(ctr(NS_DECOY, POD, 'app'), 1)],
  },
  {
    name: 'a crash loop between two back-offs, running right now, stays listed',
    id: 'workload.crashloop',
    params: { interval: '5m' },
    series: flickering,
    evalTime: '9m',
    expected: [out(ctr(NS, POD, 'app'), 1)],
  },
  {
    name: 'hostile namespace: CPU and memory at 90% of the limit or more, from the records',
    id: 'workload.near_limits',
    params: { namespace: NS },
    series: records,
    expected: [
      out({ ...ctr(NS, POD, 'app'), resource: 'cpu' }, 0.95),
      out({ ...ctr(NS, POD_DECOY, 'app'), resource: 'cpu' }, 0.9),
      out({ ...ctr(NS, POD, 'sidecar'), resource: 'memory' }, 0.97),
    ],
  },
  {
    name: 'hostile pod in the decoy namespace',
    id: 'workload.near_limits',
    params: { namespace: NS_DECOY, pod: POD },
    series: records,
    expected: [
      out({ ...ctr(NS_DECOY, POD, 'app'), resource: 'cpu' }, 0.99),
      out({ ...ctr(NS_DECOY, POD, 'sidecar'), resource: 'memory' }, 0.98),
    ],
  },
];

// With topN, the series of only the pods with the most over the range (ranked at its end): the library's per-pod panels.
// Thirteen pods with a CPU limit of 1 core in one namespace (more than the top record's 10): the burst pod is in the
// namespace's top 10 only while it bursts (0.8125 cores from minute 31 to 40, 0.125 before and after; rates a double
// holds exactly, so the raw form's arithmetic compares equal), so a top 3 by peak
// that finds it read the top record at those minutes; the other namespace's two pods (1 and 0.75) are never below it. As cAdvisor
// and kube-state-metrics export them: the records and the raw form both read these.
const steadyRatio = (n: number) => (30 + n) / 60;
const withLimit = (ns: string, p: string, usage: string) => [
  s('container_cpu_usage_seconds_total', c(ns, p, 'app', `${p}:1`), usage),
  s('kube_pod_container_resource_limits', ksm(ns, p, 'app', { resource: 'cpu', unit: 'core' }), gauge(1)),
];
const ranked = [
  ...Array.from({ length: 12 }, (_, n) => withLimit(NS, `steady-${n}`, counter(30 + n))).flat(),
  ...withLimit(NS, 'burst', '0+7.5x30 273.75+48.75x9 720+7.5x39'),
  ...withLimit(NS_DECOY, 'hot', counter(60)),
  ...withLimit(NS_DECOY, 'warm', counter(45)),
];
// The per-pod record at the burst's minutes, the input of its top record: 0.95 for the burst, the steady pods' own.
const POD_CPU_RATIO = 'containersec:pod_cpu_limit_ratio';
const POD_MEMORY_RATIO = 'containersec:pod_memory_limit_ratio';
const rankedPods = [
  ...Array.from({ length: 12 }, (_, n) => s(POD_CPU_RATIO, pod(NS, `steady-${n}`), gauge(steadyRatio(n)))),
  s(POD_CPU_RATIO, pod(NS, 'burst'), '0.1x30 0.95x10 0.1x39'),
];
export const topPodCases: QueryCase[] = [
  {
    name: 'topN keeps the pod with the highest CPU use',
    id: 'workload.cpu.by_pod',
    params: { interval: '5m', topN: 1 },
    series,
    expected: [out(pod(NS_DECOY, POD), 2)],
  },
  {
    // 3.8 cores for 10 minutes (38 core-minutes) against a steady 2 cores (120 in the hour): ranked by growth the
    // miner would not be the top pod; ranked by peak, as the chart draws it, it is, though it is quiet now.
    name: 'top 1 by peak: a miner that burned 3.8 cores for 10 minutes outranks a steady 2 cores',
    id: 'workload.cpu.by_pod',
    params: { topN: 1 },
    series: [
      s('container_cpu_usage_seconds_total', c(NS, 'miner', 'app', 'xmrig:6'), '0+6x30 408+228x9 2466+6x39'),
      s('container_cpu_usage_seconds_total', c(NS_DECOY, 'steady', 'app', 'shop:1'), counter(120)),
    ],
    range: '1h',
    rateInterval: '5m',
    evalTime: '70m',
    expected: [out(pod(NS, 'miner'), 0.1)],
  },
  {
    name: 'the CPU top record of one namespace',
    id: 'workload.cpu.by_pod.top.definition',
    params: { namespace: NS_DECOY },
    series: podRecords,
    expected: [out({ __name__: POD_CPU, ...pod(NS_DECOY, POD) }, 2)],
  },
  {
    name: 'a pod that used no CPU in the range is no top pod, even with room in the top 10',
    id: 'workload.cpu.by_pod',
    params: { interval: '5m', topN: 10, namespace: NS_DECOY },
    series: [...series, s('container_cpu_usage_seconds_total', c(NS_DECOY, 'idle', 'app', 'idle:1'), counter(0))],
    expected: [out(pod(NS_DECOY, POD), 2)],
  },
  {
    name: 'topN keeps the pods with the highest peak, in a hostile namespace',
    id: 'workload.memory.working_set',
    params: { namespace: NS, topN: 1, interval: '5m' },
    series,
    expected: [out(pod(NS, POD), 1000)],
  },
  {
    name: 'top 3 pods by peak over the day: a burst an hour ago ranks by its peak although it is below the rest now',
    id: 'workload.cpu.limit_ratio.by_pod',
    params: { topN: 3 },
    series: ranked,
    range: '1h',
    rateInterval: '5m',
    evalTime: '70m',
    expected: [out(pod(NS_DECOY, 'hot'), 1), out(pod(NS, 'burst'), 0.125), out(pod(NS_DECOY, 'warm'), 0.75)],
  },
  {
    // Never among the cluster's 10 highest (twelve steady pods of the other namespace are above it at every minute):
    // only a top record per namespace keeps it for a namespace's own top 3.
    name: "a namespace's top 3 includes a pod that is never in the whole cluster's top 10",
    id: 'workload.cpu.limit_ratio.by_pod',
    params: { topN: 3, namespace: NS_DECOY },
    series: [...ranked, ...withLimit(NS_DECOY, 'cold', counter(15))],
    range: '1h',
    rateInterval: '5m',
    evalTime: '70m',
    expected: [out(pod(NS_DECOY, 'hot'), 1), out(pod(NS_DECOY, 'warm'), 0.75), out(pod(NS_DECOY, 'cold'), 0.25)],
  },
  {
    name: "a pod filter ranks from the record itself (a pod is narrower than the top record's namespace)",
    id: 'workload.cpu.limit_ratio.by_pod',
    params: { topN: 1, namespace: NS, pod: 'burst' },
    series: ranked,
    range: '1h',
    rateInterval: '5m',
    evalTime: '70m',
    expected: [out(pod(NS, 'burst'), 0.125)],
  },
  {
    name: 'topN: each pod at its container nearest the limit; a pod at 0 is no top pod',
    id: 'workload.cpu.limit_ratio.by_pod',
    params: { topN: 10, namespace: NS },
    series: [...series, ...withLimit(NS, 'idle', counter(0))],
    range: '1h',
    rateInterval: '5m',
    expected: [out(pod(NS, POD), 1 / 1.05), out(pod(NS, POD_DECOY), 1)],
  },
  {
    name: 'top 1 pod by memory ratio',
    id: 'workload.memory.limit_ratio.by_pod',
    params: { topN: 1 },
    series,
    range: '1h',
    expected: [out(pod(NS, POD), 0.95)],
  },
  {
    name: 'every pod with a limited container, without topN, the hostile namespace escaped',
    id: 'workload.memory.limit_ratio.by_pod',
    params: { namespace: NS_DECOY },
    series,
    expected: [out(pod(NS_DECOY, POD), 0.1)],
  },
  {
    name: "the record: the highest ratio of the pod's containers, the hostile namespace and pod escaped",
    id: 'workload.cpu.limit_ratio.by_pod.definition',
    params: { namespace: NS, pod: POD },
    series: records,
    expected: [out(pod(NS, POD), 0.95)],
  },
  {
    name: 'the record of one namespace',
    id: 'workload.memory.limit_ratio.by_pod.definition',
    params: { namespace: NS_DECOY },
    series: records,
    expected: [out(pod(NS_DECOY, POD), 0.98)],
  },
  {
    name: 'the top record: the 10 highest pods of each namespace at this minute, the hostile namespace escaped',
    id: 'workload.cpu.limit_ratio.by_pod.top.definition',
    params: { namespace: NS },
    series: rankedPods,
    evalTime: '35m',
    expected: [
      out({ __name__: POD_CPU_RATIO, ...pod(NS, 'burst') }, 0.95),
      // steady-3 to steady-11 (0.53 to 0.61); steady-0 to steady-2 are not kept
      ...Array.from({ length: 9 }, (_, n) =>
        out({ __name__: POD_CPU_RATIO, ...pod(NS, `steady-${n + 3}`) }, steadyRatio(n + 3))
      ),
    ],
  },
  {
    name: 'the top record of one namespace',
    id: 'workload.memory.limit_ratio.by_pod.top.definition',
    params: { namespace: NS },
    series: [s(POD_MEMORY_RATIO, pod(NS, POD), gauge(0.97)), s(POD_MEMORY_RATIO, pod(NS_DECOY, POD), gauge(0.98))],
    expected: [out({ __name__: POD_MEMORY_RATIO, ...pod(NS, POD) }, 0.97)],
  },
  {
    name: 'the working set top record of one namespace',
    id: 'workload.memory.working_set.top.definition',
    params: { namespace: NS, pod: POD },
    series: podRecords,
    expected: [out({ __name__: POD_MEMORY, ...pod(NS, POD) }, 1000)],
  },
  {
    name: 'topN: a pod that never restarted is left out, with room in the top 10',
    id: 'workload.restarts',
    params: { interval: i, topN: 10, namespace: NS_DECOY },
    series: [...series, s('kube_pod_container_status_restarts_total', ksm(NS_DECOY, 'steady', 'app'), gauge(0))],
    expected: [out(pod(NS_DECOY, POD), 10)],
  },
  {
    name: 'topN 1: the pod with the most OOM kills in the range',
    id: 'workload.oom_events',
    params: { interval: i, topN: 1 },
    series: [...series, s('container_oom_events_total', c(NS, 'fine', 'app', 'fine:1'), gauge(0))],
    expected: [out(pod(NS_DECOY, POD), 10)],
  },
  {
    name: 'topN 10: a pod without an OOM kill is left out',
    id: 'workload.oom_events',
    params: { interval: i, topN: 10, namespace: NS },
    series: [...series, s('container_oom_events_total', c(NS, 'fine', 'app', 'fine:1'), gauge(0))],
    expected: [out(pod(NS, POD), 5)],
  },
  // Restarts and OOM kills count whole events per interval, a counter's first sample not counted (kube-state-metrics
  // exports a pod's restartCount as it already is): born at 3 and steady is no restart; born at 0 inside the window
  // and growing counts its growth; born at 3 before the window and growing counts from its sample before it.
  {
    name: 'first samples: born at 3 is no restart, growth after the birth counts, inside the window or before it',
    id: 'workload.restarts',
    params: { interval: i, namespace: NS },
    series: bornRestarts,
    evalTime: '10m',
    expected: [out(pod(NS, 'born-in-window'), 3), out(pod(NS, 'born-before'), 5), out(pod(NS, 'born-growing'), 3)],
  },
  {
    name: 'topN: a pod born with restarts and none since is no top pod, with room in the top 10',
    id: 'workload.restarts',
    params: { interval: i, namespace: NS, topN: 10 },
    series: bornRestarts,
    evalTime: '10m',
    range: '1h',
    expected: [out(pod(NS, 'born-in-window'), 3), out(pod(NS, 'born-before'), 5), out(pod(NS, 'born-growing'), 3)],
  },
  {
    name: 'a counter that dropped (a new count from 0) counts its growth before the drop and what it reached after',
    id: 'workload.oom_events',
    params: { interval: i, namespace: NS },
    series: [s('container_oom_events_total', c(NS, POD, 'app', 'shop:1'), '0+1x6 0+1x70')],
    evalTime: '10m',
    expected: [out(pod(NS, POD), 4)],
  },
  {
    name: "definition: each pod's growth in the minute, only pods that grew",
    id: 'workload.restarts.definition',
    params: {},
    series: [...series, ...bornRestarts],
    evalTime: '10m',
    expected: [
      out(pod(NS, POD), 2),
      out(pod(NS_DECOY, POD), 2),
      out(pod(NS, 'born-in-window'), 1),
      out(pod(NS, 'born-before'), 1),
      out(pod(NS, 'born-growing'), 1),
    ],
  },
  {
    name: 'definition: hostile namespace and pod',
    id: 'workload.restarts.definition',
    params: { namespace: NS, pod: POD },
    series,
    evalTime: '10m',
    expected: [out(pod(NS, POD), 2)],
  },
  {
    name: 'definition: hostile namespace, a minute of OOM kills',
    id: 'workload.oom_events.definition',
    params: { namespace: NS },
    series,
    evalTime: '10m',
    expected: [out(pod(NS, POD), 1)],
  },
  {
    name: 'hostile namespace: increase over the hour for the risk score',
    id: 'risk.pod_restarts.definition',
    params: { interval: i, namespace: NS },
    series,
    expected: [out(pod(NS, POD), 10)],
  },
  {
    name: 'topN keeps the pod with the most threads',
    id: 'workload.threads',
    params: { topN: 1, interval: '5m' },
    series,
    expected: [out(pod(NS_DECOY, POD), 70)],
  },
  {
    name: 'topN keeps the pod with the most processes',
    id: 'workload.processes',
    params: { topN: 1, interval: '5m' },
    series,
    expected: [out(pod(NS_DECOY, POD), 7)],
  },
];
