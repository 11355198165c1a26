import { FALCO_EVENT_METRICS, falcoEventSelector } from '../falcoSources';
import { copyLabel } from '../labels';
import { rangeOf, topNOf } from '../params';
import type { QueryEntry, QueryParams } from '../types';
import { CPU_RATIO_RECORD, FALCO_CRITICAL_RECORD, RESTARTS_RECORD, RISK_SCORE_RECORD } from './records';
import { POD, recorded } from './workloadSelectors';

// The per-pod risk score: 0-100 from critical Falco events (50), restarts (20) and CPU pinned at its limit (30).
// The heavy parts are recording rules (rules/prometheus); these entries define them and read them.

// What the score's records are computed from: falcosidekick, kube-state-metrics and cAdvisor.
const SCORE_EXPORTERS = ['recording-rules', 'falcosidekick', 'kube-state-metrics', 'cadvisor'] as const;

// falcosidekick names workloads k8s_ns_name/k8s_pod_name; rename them so the components join on namespace/pod.
function falcoCriticalByPod(p: QueryParams): string {
  const m = FALCO_EVENT_METRICS.falcosidekick;
  const sel = falcoEventSelector(m, { ...p, minPriority: 'critical', rule: undefined });
  const perPod = `sum by (cluster, k8s_ns_name, k8s_pod_name) (increase(${sel}[${rangeOf(p, '1h')}]))`;
  return `sum by (${POD}) (${copyLabel(copyLabel(perPod, 'namespace', 'k8s_ns_name'), 'pod', 'k8s_pod_name')})`;
}

function scoreFromRecords(p: QueryParams): string {
  return (
    `sum by (${POD}) (` +
    `label_replace(clamp_max(${recorded(FALCO_CRITICAL_RECORD, p)}, 10) * 5, "component", "falco", "", "") or ` +
    `label_replace(clamp_max(${recorded(RESTARTS_RECORD, p)}, 10) * 2, "component", "restarts", "", "") or ` +
    `label_replace(max by (${POD}) (${recorded(CPU_RATIO_RECORD, p)} >= bool 0.9) * 30, "component", "cpu", "", ""))`
  );
}

export const riskQueries: QueryEntry[] = [
  {
    id: 'risk.falco_critical_by_pod',
    title: 'Critical Falco events by pod',
    description:
      'Falco events at Critical or above per pod in the interval (1h by default), from falcosidekick, labelled ' +
      "namespace/pod so they join with Kubernetes metrics. The risk score's Falco component.",
    category: 'falco-runtime',
    params: ['cluster', 'namespace', 'pod', 'interval'],
    unit: 'short',
    visualization: 'table',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['falcosidekick'],
    related: ['risk.pod_score', 'falco.events.by_pod'],
    recordingRule: FALCO_CRITICAL_RECORD,
    build: falcoCriticalByPod,
  },
  {
    id: 'risk.pod_score.definition',
    title: 'Pod risk score (from the component recording rules)',
    description:
      'How the risk score is computed: 5 points per critical Falco event in the last hour (at most 50), 2 per ' +
      'container restart in the last hour (at most 20), 30 when a container runs at 90% or more of its CPU limit. ' +
      'Recorded as containersec:pod_risk_score.',
    category: 'compliance', // the risk score: how exposed a pod is overall
    params: ['cluster', 'namespace', 'pod'],
    unit: 'short',
    visualization: 'table',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => [...SCORE_EXPORTERS],
    related: ['risk.pod_score', 'risk.falco_critical_by_pod', 'workload.restarts', 'workload.cpu.limit_ratio'],
    recordingRule: RISK_SCORE_RECORD,
    build: scoreFromRecords,
  },
  {
    id: 'risk.pod_score',
    title: 'Pod risk score',
    description:
      'A 0-100 score per pod: critical Falco events (up to 50), restarts (up to 20) and CPU pinned at its limit (30) ' +
      'in the last hour. Needs the recording rules from rules/prometheus and falcosidekick for the Falco part.',
    category: 'compliance', // the risk score: how exposed a pod is overall
    params: ['cluster', 'namespace', 'pod'],
    unit: 'short',
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => [...SCORE_EXPORTERS],
    related: ['risk.pod_score.top', 'risk.pod_score.definition', 'falco.events.by_pod'],
    recordingRule: RISK_SCORE_RECORD,
    build: (p) => `max by (${POD}) (${recorded(RISK_SCORE_RECORD, p)})`,
  },
  {
    id: 'risk.pod_score.top',
    title: 'Riskiest pods',
    description: 'The pods with the highest risk score right now.',
    category: 'compliance', // the risk score: how exposed a pod is overall
    params: ['cluster', 'namespace', 'topN'],
    unit: 'short',
    visualization: 'table',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => [...SCORE_EXPORTERS],
    related: ['risk.pod_score'],
    recordingRule: RISK_SCORE_RECORD,
    build: (p) => `topk(${topNOf(p)}, max by (${POD}) (${recorded(RISK_SCORE_RECORD, { ...p, pod: undefined })}))`,
  },
];
