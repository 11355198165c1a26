import { ALERTS } from '../../../src/queries';
import type { AlertTest, InputSeries, Labels } from '../promtool';
import { counter, gauge, NS, POD, RULE, s } from './shared';

export interface AlertCase {
  alert: string;
  name: string;
  series: InputSeries[];
  evalTime: string;
  alsoAt?: string[]; // more evaluation times with the same expectation (an alert that must stay silent throughout)
  expected: AlertTest['expected'];
}

// The alert's annotations as Prometheus expands them for these labels and value.
function firing(alert: string, labels: Labels, value: number): AlertTest['expected'][number] {
  const spec = ALERTS.find((a) => a.alert === alert)!;
  const expand = (t: string) =>
    t
      .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l: string) => labels[l] ?? '')
      .replace(/\{\{ \$value \}\}/g, String(value));
  return {
    labels: { ...labels, severity: spec.severity },
    annotations: { summary: expand(spec.summary), description: expand(spec.description), query_id: spec.queryId },
  };
}

const NATIVE = 'falcosecurity_falco_rules_matches_total';
const baselineEvents = s(
  NATIVE,
  { rule_name: 'Terminal shell in container', priority: '5', source: 'syscall' },
  counter(10)
);
const hostA = s('falcosecurity_evt_hostname_info', { instance: '10.0.0.1:8765', hostname: 'node-a' }, gauge(1));
const hostB = s('falcosecurity_evt_hostname_info', { instance: '10.0.0.2:8765', hostname: 'node-b' }, gauge(1));
// A Falco pod's hostname series and scrape target that end at minute `until` (its last sample, then a stale marker).
const falcoGone = (instance: string, hostname: string, until: number) =>
  s('falcosecurity_evt_hostname_info', { instance, hostname }, `1x${until} stale`);
const falcoUp = (instance: string, values: string) => s('up', { instance, job: 'falco-metrics' }, values);
// The old pod's last sample at `at`; the new pod's target fails its scrapes for 3 minutes (image pull, falcoctl's
// rules download, driver load) and reports from at+4 on: a slow start, longer than an instant lookup with `for: 2m`
// would tolerate, shorter than the report window plus `for`.
const rollingRestart = (oldInstance: string, newInstance: string, hostname: string, at: number) => [
  falcoGone(oldInstance, hostname, at),
  falcoUp(oldInstance, `1x${at} stale`),
  s('falcosecurity_evt_hostname_info', { instance: newInstance, hostname }, `_x${at + 4} 1x${70 - at}`),
  falcoUp(newInstance, `_x${at + 1} 0x2 1x${70 - at}`),
];
const nodes = ['node-a', 'node-b'].map((node) => s('kube_node_info', { node }, gauge(1)));
const req = (code: string, verb: string, subresource: string, perMinute: number) =>
  s('apiserver_request_total', { code, verb, resource: 'pods', subresource, version: 'v1' }, counter(perMinute));
const app = { namespace: NS, pod: POD, container: 'app' };
const cpu = (perMinute: number) => [
  s('container_cpu_usage_seconds_total', { ...app, image: 'shop:1' }, counter(perMinute)),
  s('kube_pod_container_resource_limits', { ...app, resource: 'cpu', unit: 'core' }, gauge(1.05)),
];
const restarts = (perMinute: number) => [s('kube_pod_container_status_restarts_total', app, counter(perMinute))];
// A steady CrashLoopBackOff: the kubelet's back-off is capped at 5 minutes, so one restart every 5 minutes.
const crashLoop = [
  s(
    'kube_pod_container_status_restarts_total',
    app,
    Array.from({ length: 90 }, (_, m) => String(Math.floor(m / 5))).join(' ')
  ),
];
// Falco on node-a drops kernel events for 5 minutes (minutes 21 to 25), then none.
const dropBurst = [
  hostA,
  s(
    'falcosecurity_scap_n_drops_total',
    { instance: '10.0.0.1:8765' },
    '0x20 ' + [60, 120, 180, 240, 300].join(' ') + ' 300x50'
  ),
];

export const ALERT_CASES: AlertCase[] = [
  {
    alert: 'FalcoCriticalEvent',
    name: 'a critical rule fires',
    series: [baselineEvents, s(NATIVE, { rule_name: RULE, priority: '2', source: 'syscall' }, counter(1))],
    evalTime: '10m',
    expected: [firing('FalcoCriticalEvent', { rule_name: RULE }, 5)],
  },
  {
    // Falco writes the rule's counter at its first match: the series is born at 1 and never moves again.
    alert: 'FalcoCriticalEvent',
    name: 'one critical event in a new pod: a series born at 1',
    series: [baselineEvents, s(NATIVE, { rule_name: RULE, priority: '2', source: 'syscall' }, '_x6 1x70')],
    evalTime: '8m',
    expected: [firing('FalcoCriticalEvent', { rule_name: RULE }, 1)],
  },
  {
    alert: 'FalcoCriticalEvent',
    name: 'one critical event, resolved 5 minutes later',
    series: [baselineEvents, s(NATIVE, { rule_name: RULE, priority: '2', source: 'syscall' }, '_x6 1x70')],
    evalTime: '20m',
    expected: [],
  },
  { alert: 'FalcoCriticalEvent', name: 'only notice events', series: [baselineEvents], evalTime: '10m', expected: [] },
  {
    alert: 'FalcoDroppingKernelEvents',
    name: 'node-a drops for 10 minutes',
    series: [hostA, s('falcosecurity_scap_n_drops_total', { instance: '10.0.0.1:8765' }, counter(60))],
    evalTime: '15m',
    expected: [firing('FalcoDroppingKernelEvents', { hostname: 'node-a' }, 1)],
  },
  {
    alert: 'FalcoDroppingKernelEvents',
    name: 'a 5-minute burst of drops',
    series: dropBurst,
    evalTime: '25m',
    expected: [firing('FalcoDroppingKernelEvents', { hostname: 'node-a' }, 1)],
  },
  {
    alert: 'FalcoDroppingKernelEvents',
    name: 'no drops',
    series: [hostA, s('falcosecurity_scap_n_drops_total', { instance: '10.0.0.1:8765' }, counter(0))],
    evalTime: '15m',
    expected: [],
  },
  {
    alert: 'FalcoDroppingAlerts',
    name: 'node-b drops alerts',
    series: [
      hostB,
      s('falcosecurity_falco_outputs_queue_num_drops_total', { instance: '10.0.0.2:8765' }, counter(120)),
    ],
    evalTime: '15m',
    expected: [firing('FalcoDroppingAlerts', { hostname: 'node-b' }, 2)],
  },
  {
    alert: 'FalcoDroppingAlerts',
    name: 'no drops',
    series: [hostB, s('falcosecurity_falco_outputs_queue_num_drops_total', { instance: '10.0.0.2:8765' }, counter(0))],
    evalTime: '15m',
    expected: [],
  },
  {
    alert: 'FalcoMissingOnNode',
    name: 'node-b has no Falco',
    series: [...nodes, hostA],
    evalTime: '15m',
    expected: [firing('FalcoMissingOnNode', { node: 'node-b' }, 1)],
  },
  {
    alert: 'FalcoMissingOnNode',
    name: 'every node has Falco',
    series: [...nodes, hostA, hostB],
    evalTime: '15m',
    expected: [],
  },
  {
    // The Falco pod on node-b is gone at minute 20 (deleted, evicted, or its DaemonSet no longer schedules there): its
    // series end with a stale marker, its target leaves `up`. Reported within 5 minutes.
    alert: 'FalcoMissingOnNode',
    name: 'Falco stops on node-b: reported within 5 minutes',
    series: [...nodes, hostA, falcoGone('10.0.0.2:8765', 'node-b', 20), falcoUp('10.0.0.1:8765', '1x80')],
    evalTime: '25m',
    expected: [firing('FalcoMissingOnNode', { node: 'node-b' }, 1)],
  },
  {
    alert: 'FalcoMissingOnNode',
    name: 'Falco stops on node-b: silent before it stopped and while the 2 minutes run',
    series: [...nodes, hostA, falcoGone('10.0.0.2:8765', 'node-b', 20), falcoUp('10.0.0.1:8765', '1x80')],
    evalTime: '10m',
    alsoAt: ['20m', '21m', '22m', '23m'],
    expected: [],
  },
  {
    // Falco crash-loops in its pod from minute 20: the pod and its IP stay, every scrape fails (up == 0).
    alert: 'FalcoMissingOnNode',
    name: 'the scrape of Falco on node-b fails: reported within 5 minutes',
    series: [...nodes, hostA, falcoGone('10.0.0.2:8765', 'node-b', 20), falcoUp('10.0.0.2:8765', '1x20 0x60')],
    evalTime: '24m',
    expected: [firing('FalcoMissingOnNode', { node: 'node-b' }, 1)],
  },
  {
    // The DaemonSet's default RollingUpdate (maxUnavailable 1): node-a's Falco pod is replaced at minute 20, node-b's
    // at minute 30; each new pod has a new IP and reports 4 minutes after the old pod's last sample.
    alert: 'FalcoMissingOnNode',
    name: 'a rolling Falco restart, one node at a time, never fires',
    series: [
      ...nodes,
      ...rollingRestart('10.0.0.1:8765', '10.0.0.11:8765', 'node-a', 20),
      ...rollingRestart('10.0.0.2:8765', '10.0.0.12:8765', 'node-b', 30),
    ],
    evalTime: '18m',
    alsoAt: Array.from({ length: 25 }, (_, i) => `${19 + i}m`),
    expected: [],
  },
  {
    alert: 'KubeAPIAuthFailureBurst',
    name: 'two 401s a second',
    series: [req('200', 'GET', '', 600), req('401', 'GET', '', 120)],
    evalTime: '15m',
    expected: [firing('KubeAPIAuthFailureBurst', { code: '401' }, 2)],
  },
  {
    alert: 'KubeAPIAuthFailureBurst',
    name: 'an occasional 401',
    series: [req('200', 'GET', '', 600), req('401', 'GET', '', 30)],
    evalTime: '15m',
    expected: [],
  },
  {
    alert: 'KubeExecBurst',
    name: 'six execs a minute',
    series: [req('200', 'GET', 'log', 600), req('101', 'CREATE', 'exec', 6)],
    evalTime: '10m',
    expected: [firing('KubeExecBurst', { subresource: 'exec' }, 0.1)],
  },
  {
    alert: 'KubeExecBurst',
    name: 'one exec a minute',
    series: [req('200', 'GET', 'log', 600), req('101', 'CREATE', 'exec', 1)],
    evalTime: '10m',
    expected: [],
  },
  {
    alert: 'ContainerCPUAbuse',
    name: 'pinned at the limit for 15 minutes',
    series: cpu(60),
    evalTime: '25m',
    expected: [firing('ContainerCPUAbuse', app, 1 / 1.05)],
  },
  { alert: 'ContainerCPUAbuse', name: 'half the limit', series: cpu(30), evalTime: '25m', expected: [] },
  {
    alert: 'PodRestartStorm',
    name: 'a steady CrashLoopBackOff: one restart every 5 minutes',
    series: crashLoop,
    evalTime: '70m',
    expected: [firing('PodRestartStorm', { namespace: NS, pod: POD }, 12)],
  },
  {
    alert: 'PodRestartStorm',
    name: 'a restart a minute',
    series: restarts(1),
    evalTime: '70m',
    expected: [firing('PodRestartStorm', { namespace: NS, pod: POD }, 60)],
  },
  {
    alert: 'PodRestartStorm',
    name: 'two restarts an hour',
    series: restarts(2 / 60),
    evalTime: '70m',
    expected: [],
  },
];
