import { counter, gauge, NS, NS_DECOY, out, POD, POD_DECOY, type QueryCase, s } from './shared';

const SIDEKICK = 'falcosecurity_falcosidekick_falco_events_total';
const sk = (ns: string, pod: string, priority: string, priorityRaw: string) => ({
  rule: 'Terminal shell in container',
  priority,
  priority_raw: priorityRaw,
  source: 'syscall',
  hostname: 'node-a',
  k8s_ns_name: ns,
  k8s_pod_name: pod,
});
// falcosidekick label sets are born with their first event: the emergency one at 1, 30 minutes in.
const falco = [
  s(SIDEKICK, sk(NS, POD, '6', 'critical'), counter(1)),
  s(SIDEKICK, sk(NS, POD, '4', 'warning'), counter(10)),
  s(SIDEKICK, sk(NS_DECOY, POD, '8', 'emergency'), '_x30 1x50'),
];
const EVENTS = 'containersec:pod_falco_events:1h';
const ev = (namespace: string, p: string, priority: string) => ({ namespace, pod: p, priority_raw: priority });
// The component recording rules as the recording group writes them.
const records = [
  // 1 critical (40) + 2 warnings (10) + 3 notices (6) = 56 detection points.
  s(EVENTS, ev(NS, POD, 'critical'), gauge(1)),
  s(EVENTS, ev(NS, POD, 'warning'), gauge(2)),
  s(EVENTS, ev(NS, POD, 'notice'), gauge(3)),
  // 10 errors (100) and 3 notices (6): capped at 70.
  s(EVENTS, ev(NS_DECOY, POD, 'error'), gauge(10)),
  s(EVENTS, ev(NS_DECOY, POD, 'notice'), gauge(3)),
  s('containersec:pod_restarts:increase1h', { namespace: NS, pod: POD }, gauge(2)),
  s('containersec:pod_restarts:increase1h', { namespace: NS, pod: POD_DECOY }, gauge(20)),
  s('containersec:container_cpu_limit_ratio', { namespace: NS, pod: POD, container: 'app' }, gauge(0.95)),
  s('containersec:container_cpu_limit_ratio', { namespace: NS, pod: POD, container: 'sidecar' }, gauge(0.2)),
  s('containersec:container_cpu_limit_ratio', { namespace: NS, pod: POD_DECOY, container: 'app' }, gauge(0.5)),
];
const scores = [
  s('containersec:pod_risk_score', { namespace: NS, pod: 'attacked-earlier' }, '0x20 90x10 0x50'),
  s('containersec:pod_risk_score', { namespace: NS, pod: POD }, gauge(49)),
  s('containersec:pod_risk_score', { namespace: NS_DECOY, pod: POD }, gauge(80)),
  s('containersec:pod_risk_score', { namespace: NS, pod: POD_DECOY }, gauge(20)),
];
const pod = (namespace: string, p: string) => ({ namespace, pod: p });

// A record read with topN keeps its name (topPods.ts topRecordedPods).
const scoreOf = (namespace: string, p: string) => ({ __name__: 'containersec:pod_risk_score', namespace, pod: p });

export const riskCases: QueryCase[] = [
  {
    name: 'events per pod and priority over an hour, the emergency one born at 1',
    id: 'risk.falco_events_by_pod',
    params: { interval: '1h' },
    series: falco,
    evalTime: '70m',
    expected: [
      out({ ...pod(NS, POD), priority_raw: 'critical' }, 60),
      out({ ...pod(NS, POD), priority_raw: 'warning' }, 600),
      out({ ...pod(NS_DECOY, POD), priority_raw: 'emergency' }, 1),
    ],
  },
  {
    name: 'hostile namespace',
    id: 'risk.falco_events_by_pod',
    params: { interval: '1h', namespace: NS },
    series: falco,
    evalTime: '70m',
    expected: [
      out({ ...pod(NS, POD), priority_raw: 'critical' }, 60),
      out({ ...pod(NS, POD), priority_raw: 'warning' }, 600),
    ],
  },
  {
    name: '56 Falco + 2 restarts + 20 CPU; detections capped at 70; 20 restarts capped at 10',
    id: 'risk.pod_score.definition',
    params: {},
    series: records,
    expected: [out(pod(NS, POD), 78), out(pod(NS_DECOY, POD), 70), out(pod(NS, POD_DECOY), 10)],
  },
  {
    name: 'hostile pod',
    id: 'risk.pod_score.definition',
    params: { pod: POD },
    series: records,
    expected: [out(pod(NS, POD), 78), out(pod(NS_DECOY, POD), 70)],
  },
  {
    name: 'hostile namespace and pod',
    id: 'risk.pod_score',
    params: { namespace: NS, pod: POD },
    series: scores,
    // Without topN the record is read as it is (topRecordedPods), its name kept.
    expected: [out({ __name__: 'containersec:pod_risk_score', ...pod(NS, POD) }, 49)],
  },
  {
    name: 'topN keeps the riskiest pods of the range, the attack that ended included; a pod at 0 is no top pod',
    id: 'risk.pod_score',
    params: { namespace: NS, topN: 10 },
    series: [...scores, s('containersec:pod_risk_score', { namespace: NS, pod: 'quiet' }, gauge(0))],
    evalTime: '60m',
    range: '1h',
    expected: [out(scoreOf(NS, POD), 49), out(scoreOf(NS, POD_DECOY), 20), out(scoreOf(NS, 'attacked-earlier'), 0)],
  },
  {
    name: 'top 1 over the range: the attack that ended outranks a steady 80',
    id: 'risk.pod_score',
    params: { topN: 1 },
    series: scores,
    evalTime: '60m',
    range: '1h',
    expected: [out(scoreOf(NS, 'attacked-earlier'), 0)],
  },
  {
    name: 'top 1 now',
    id: 'risk.pod_score.top',
    params: { topN: 1, interval: '5m' },
    series: scores,
    evalTime: '60m',
    expected: [out(pod(NS_DECOY, POD), 80)],
  },
  {
    name: 'top 1 over the hour: the pod attacked earlier stays on top',
    id: 'risk.pod_score.top',
    params: { topN: 1, interval: '1h' },
    series: scores,
    evalTime: '60m',
    expected: [out(pod(NS, 'attacked-earlier'), 90)],
  },
  {
    name: 'a pod scored 0 all range long is no riskiest pod, even with room in the top 10',
    id: 'risk.pod_score.top',
    params: { topN: 10, interval: '1h' },
    series: [...scores, s('containersec:pod_risk_score', pod(NS, 'idle'), gauge(0))],
    evalTime: '60m',
    expected: [
      out(pod(NS, 'attacked-earlier'), 90),
      out(pod(NS_DECOY, POD), 80),
      out(pod(NS, POD), 49),
      out(pod(NS, POD_DECOY), 20),
    ],
  },
  {
    name: 'top 1 in a hostile namespace',
    id: 'risk.pod_score.top',
    params: { topN: 1, namespace: NS, interval: '5m' },
    series: scores,
    evalTime: '60m',
    expected: [out(pod(NS, POD), 49)],
  },
];
