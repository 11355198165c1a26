import {
  CPU_RATIO_RECORD,
  FALCO_EVENTS_RECORD,
  POD_CPU_RATIO_RECORD,
  POD_CPU_RECORD,
  POD_MEMORY_RATIO_RECORD,
  POD_FACTS_RECORD,
  POD_MEMORY_RECORD,
  POD_OOM_EVENTS_RECORD,
  POD_RESTARTS_RECORD,
  MEMORY_RATIO_RECORD,
  POD_PACKETS_RECORD,
  POD_PROCESSES_RECORD,
  POD_THREADS_RECORD,
  RESTARTS_RECORD,
  RISK_SCORE_RECORD,
} from './catalog/records';
import { NATIVE_EVENTS_RECORD, SIDEKICK_EVENTS_RECORD, SIDEKICK_POD_EVENTS_RECORD } from './recordedEvents';
import { topRecordOf } from './catalog/topPods';
import { POD_NETWORK_RECORDS } from './catalog/network';
import { RECORD_RATE_WINDOW } from './catalog/podRateRecords';
import type { QueryParams } from './types';

// The alerts and recording rules this project ships (rules/prometheus is generated from these). The comparison that
// makes a query an alert lives here, beside the query, so every PromQL expression stays in the library.

export interface RecordingRuleSpec {
  record: string;
  queryId: string;
  params: QueryParams;
}

export interface AlertSpec {
  alert: string;
  queryId: string;
  params: QueryParams;
  condition: string; // appended to the query, e.g. '> 0'
  for: string;
  severity: 'critical' | 'warning';
  summary: string; // may use {{ $labels.x }} and {{ $value }}
  description: string;
}

// Heavy queries first: the risk score reads the three component records. Each spec fixes the rate window its
// record is computed with (panels reading a record cannot change it).
export const RECORDING_RULES: RecordingRuleSpec[] = [
  { record: NATIVE_EVENTS_RECORD, queryId: 'falco.events.native_per_minute.definition', params: {} },
  { record: SIDEKICK_EVENTS_RECORD, queryId: 'falco.events.falcosidekick_per_minute.definition', params: {} },
  { record: SIDEKICK_POD_EVENTS_RECORD, queryId: 'falco.events.by_pod.definition', params: {} },
  { record: CPU_RATIO_RECORD, queryId: 'workload.cpu.limit_ratio.definition', params: { interval: '5m' } },
  { record: MEMORY_RATIO_RECORD, queryId: 'workload.memory.limit_ratio.definition', params: {} },
  // After the records they read, in the same group, so they read this minute's values: Group.Eval (rules/group.go)
  // evaluates a group's rules in order and commits each rule's samples before the next; a rule that reads another's
  // output is never run beside it (its dependencyMap).
  { record: POD_CPU_RATIO_RECORD, queryId: 'workload.cpu.limit_ratio.by_pod.definition', params: {} },
  { record: POD_MEMORY_RATIO_RECORD, queryId: 'workload.memory.limit_ratio.by_pod.definition', params: {} },
  { record: topRecordOf(POD_CPU_RATIO_RECORD), queryId: 'workload.cpu.limit_ratio.by_pod.top.definition', params: {} },
  {
    record: topRecordOf(POD_MEMORY_RATIO_RECORD),
    queryId: 'workload.memory.limit_ratio.by_pod.top.definition',
    params: {},
  },
  { record: POD_PACKETS_RECORD, queryId: 'network.pod.packets.definition', params: { interval: '5m' } },
  { record: POD_CPU_RECORD, queryId: 'workload.cpu.by_pod.definition', params: { interval: '5m' } },
  { record: topRecordOf(POD_CPU_RECORD), queryId: 'workload.cpu.by_pod.top.definition', params: {} },
  ...POD_NETWORK_RECORDS.map((r) => ({
    record: r.record,
    queryId: r.definitionId,
    params: { interval: RECORD_RATE_WINDOW },
  })),
  { record: POD_MEMORY_RECORD, queryId: 'workload.memory.working_set.definition', params: {} },
  { record: topRecordOf(POD_MEMORY_RECORD), queryId: 'workload.memory.working_set.top.definition', params: {} },
  { record: POD_PROCESSES_RECORD, queryId: 'workload.processes.definition', params: {} },
  { record: POD_THREADS_RECORD, queryId: 'workload.threads.definition', params: {} },
  { record: POD_FACTS_RECORD, queryId: 'workload.pod.facts.definition', params: {} },
  { record: POD_RESTARTS_RECORD, queryId: 'workload.restarts.definition', params: {} },
  { record: POD_OOM_EVENTS_RECORD, queryId: 'workload.oom_events.definition', params: {} },
  { record: RESTARTS_RECORD, queryId: 'risk.pod_restarts.definition', params: { interval: '1h' } },
  { record: FALCO_EVENTS_RECORD, queryId: 'risk.falco_events_by_pod', params: { interval: '1h' } },
  { record: RISK_SCORE_RECORD, queryId: 'risk.pod_score.definition', params: {} },
];

export const ALERTS: AlertSpec[] = [
  {
    alert: 'FalcoCriticalEvent',
    queryId: 'falco.events.by_rule',
    params: { minPriority: 'critical', interval: '5m' },
    condition: '> 0',
    for: '0m',
    severity: 'critical',
    summary: 'Falco rule "{{ $labels.rule_name }}" fired at Critical or above',
    description:
      'Falco matched a rule of priority Critical, Alert or Emergency in the last 5 minutes ({{ $value }} events, the ' +
      "rule's first match included). Open the rule drilldown to see the events.",
  },
  {
    alert: 'FalcoDroppingKernelEvents',
    queryId: 'falco.health.kernel_drops',
    params: { interval: '5m' },
    condition: '> 0',
    for: '2m',
    severity: 'warning',
    summary: 'Falco on {{ $labels.hostname }} drops kernel events',
    description:
      'The driver dropped {{ $value }} syscall events per second for 2 minutes: Falco cannot see everything on this node.',
  },
  {
    alert: 'FalcoDroppingAlerts',
    queryId: 'falco.health.queue_drops',
    params: { interval: '5m' },
    condition: '> 0',
    for: '2m',
    severity: 'critical',
    summary: 'Falco on {{ $labels.hostname }} drops alerts from its output queue',
    description:
      'Detections are lost before they reach any output: raise outputs_queue.capacity or fix the slow output.',
  },
  {
    alert: 'FalcoMissingOnNode',
    // Reported within 5 minutes of Falco stopping: 2m without a report (REPORT_WINDOW) or a failing scrape, then 2m
    // pending. A rolling restart, one node at a time, bridges its gap inside the window and never fires.
    queryId: 'falco.health.blind_nodes',
    params: {},
    condition: '',
    for: '2m',
    severity: 'critical',
    summary: 'No working Falco on node {{ $labels.node }}',
    description:
      'Kubernetes lists the node but its Falco has not reported for 2 minutes or its metrics endpoint fails to answer: ' +
      'runtime activity there goes unseen.',
  },
  {
    alert: 'KubeAPIAuthFailureBurst',
    queryId: 'apiserver.requests.unauthorized',
    params: { interval: '5m' },
    condition: '> 1',
    for: '5m',
    severity: 'warning',
    summary: 'More than one {{ $labels.code }} answer per second from the API server',
    description:
      'Unauthenticated or forbidden requests keep coming for 5 minutes: a stolen token or someone probing permissions.',
  },
  {
    alert: 'KubeExecBurst',
    queryId: 'apiserver.exec_attach_portforward',
    params: { interval: '5m' },
    condition: '> 0.05',
    for: '2m',
    severity: 'warning',
    summary: 'Burst of {{ $labels.subresource }} requests to pods',
    description:
      'More than 15 {{ $labels.subresource }} requests in 5 minutes: interactive access to workloads worth checking.',
  },
  {
    alert: 'ContainerCPUAbuse',
    queryId: 'workload.cpu.limit_ratio',
    params: {},
    condition: '>= 0.9',
    for: '15m',
    severity: 'warning',
    summary: 'Container {{ $labels.namespace }}/{{ $labels.pod }}/{{ $labels.container }} pinned at its CPU limit',
    description:
      'At 90% or more of its CPU limit for 15 minutes: a cryptominer, or a workload that needs a bigger limit.',
  },
  {
    alert: 'PodRestartStorm',
    // The kubelet's crash back-off doubles from 10 s up to MaxContainerBackOff = 300 s (pkg/kubelet/kubelet.go), so a
    // steady CrashLoopBackOff restarts about once every 5 minutes: 3 in 15 minutes, about 12 an hour.
    queryId: 'workload.restarts',
    params: { interval: '1h' },
    condition: '>= 5',
    for: '5m',
    severity: 'warning',
    summary: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} restarted {{ $value }} times in an hour',
    description:
      'Repeated restarts (a steady CrashLoopBackOff is about 12 an hour) can be an exploit crashing a process, an OOM ' +
      'kill loop, or a broken rollout.',
  },
];

// An alert's full expression: the library query and its condition.
export function alertExpression(spec: AlertSpec, build: (id: string, params: QueryParams) => string): string {
  const expr = build(spec.queryId, spec.params);
  return spec.condition ? `(${expr}) ${spec.condition}` : expr;
}
