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
const falco = [
  s(SIDEKICK, sk(NS, POD, '6', 'critical'), counter(1)),
  s(SIDEKICK, sk(NS, POD, '4', 'warning'), counter(10)),
  s(SIDEKICK, sk(NS_DECOY, POD, '8', 'emergency'), counter(2)),
];
// The component recording rules as the recording group writes them.
const records = [
  s('containersec:pod_falco_critical_events:increase1h', { namespace: NS, pod: POD }, gauge(3)),
  s('containersec:pod_restarts:increase1h', { namespace: NS, pod: POD }, gauge(2)),
  s('containersec:pod_restarts:increase1h', { namespace: NS, pod: POD_DECOY }, gauge(20)),
  s('containersec:container_cpu_limit_ratio', { namespace: NS, pod: POD, container: 'app' }, gauge(0.95)),
  s('containersec:container_cpu_limit_ratio', { namespace: NS, pod: POD, container: 'sidecar' }, gauge(0.2)),
  s('containersec:container_cpu_limit_ratio', { namespace: NS, pod: POD_DECOY, container: 'app' }, gauge(0.5)),
];
const scores = [
  s('containersec:pod_risk_score', { namespace: NS, pod: POD }, gauge(49)),
  s('containersec:pod_risk_score', { namespace: NS_DECOY, pod: POD }, gauge(80)),
  s('containersec:pod_risk_score', { namespace: NS, pod: POD_DECOY }, gauge(20)),
];
const pod = (namespace: string, p: string) => ({ namespace, pod: p });

export const riskCases: QueryCase[] = [
  {
    name: 'critical and above per pod over an hour',
    id: 'risk.falco_critical_by_pod',
    params: { interval: '1h' },
    series: falco,
    evalTime: '70m',
    expected: [out(pod(NS, POD), 60), out(pod(NS_DECOY, POD), 120)],
  },
  {
    name: 'hostile namespace',
    id: 'risk.falco_critical_by_pod',
    params: { interval: '1h', namespace: NS },
    series: falco,
    evalTime: '70m',
    expected: [out(pod(NS, POD), 60)],
  },
  {
    name: '15 Falco + 4 restarts + 30 CPU; 20 restarts capped at 20',
    id: 'risk.pod_score.definition',
    params: {},
    series: records,
    expected: [out(pod(NS, POD), 49), out(pod(NS, POD_DECOY), 20)],
  },
  {
    name: 'hostile pod',
    id: 'risk.pod_score.definition',
    params: { pod: POD },
    series: records,
    expected: [out(pod(NS, POD), 49)],
  },
  {
    name: 'hostile namespace and pod',
    id: 'risk.pod_score',
    params: { namespace: NS, pod: POD },
    series: scores,
    expected: [out(pod(NS, POD), 49)],
  },
  {
    name: 'top 1',
    id: 'risk.pod_score.top',
    params: { topN: 1 },
    series: scores,
    expected: [out(pod(NS_DECOY, POD), 80)],
  },
  {
    name: 'top 1 in a hostile namespace',
    id: 'risk.pod_score.top',
    params: { topN: 1, namespace: NS },
    series: scores,
    expected: [out(pod(NS, POD), 49)],
  },
];
