import { EVENTS_UNIT, eventsSum, WHOLE_RANGE } from '../eventCounts';
import { FALCO_EVENT_METRICS, falcoEventSelector } from '../falcoSources';
import { copyLabel, fixedMatcher } from '../labels';
import { rangeOf, topNOf } from '../params';
import type { FalcoPriority, QueryEntry, QueryParams } from '../types';
import { CPU_RATIO_RECORD, FALCO_EVENTS_RECORD, RESTARTS_RECORD, RISK_SCORE_RECORD } from './records';
import { topRecordedPods } from './topPods';
import { POD, recorded } from './workloadSelectors';

// The per-pod risk score, 0-100: Falco detections (up to 70, every priority weighs) outweigh resource pressure
// (restarts up to 10, CPU pinned at its limit 20). The heavy parts are recording rules (rules/prometheus); these
// entries define them and read them.

// Points per Falco event in the last hour, by falcosidekick's priority_raw (the priority's lowercase name).
export const PRIORITY_POINTS: Record<FalcoPriority, number> = {
  emergency: 40,
  alert: 40,
  critical: 40,
  error: 10,
  warning: 5,
  notice: 2,
  informational: 1,
  debug: 1,
};
export const MAX_DETECTION_POINTS = 70;
export const MAX_RESTART_POINTS = 10; // one per restart in the last hour
export const CPU_AT_LIMIT_POINTS = 20;

// What the score's records are computed from: falcosidekick, kube-state-metrics and cAdvisor.
const SCORE_EXPORTERS = ['recording-rules', 'falcosidekick', 'kube-state-metrics', 'cadvisor'] as const;

// falcosidekick names workloads k8s_ns_name/k8s_pod_name; rename them so the components join on namespace/pod.
function falcoEventsByPod(p: QueryParams): string {
  const m = FALCO_EVENT_METRICS.falcosidekick;
  const sel = falcoEventSelector(m, { ...p, rule: undefined, minPriority: undefined });
  const perPod = eventsSum(sel, rangeOf(p, '1h'), 'cluster, k8s_ns_name, k8s_pod_name, priority_raw', true);
  return `sum by (${POD}, priority_raw) (${copyLabel(copyLabel(perPod, 'namespace', 'k8s_ns_name'), 'pod', 'k8s_pod_name')})`;
}

// Each priority's events times its points, summed per pod (priorities with the same weight share one matcher).
function detectionPoints(p: QueryParams): string {
  const byPoints = new Map<number, FalcoPriority[]>();
  for (const [priority, points] of Object.entries(PRIORITY_POINTS) as Array<[FalcoPriority, number]>) {
    byPoints.set(points, [...(byPoints.get(points) ?? []), priority]);
  }
  const terms = [...byPoints].map(
    ([points, priorities]) =>
      `${recorded(FALCO_EVENTS_RECORD, p, [fixedMatcher('priority_raw', '=~', priorities.join('|'))])} * ${points}`
  );
  return `clamp_max(sum by (${POD}) (${terms.join(' or ')}), ${MAX_DETECTION_POINTS})`;
}

function scoreFromRecords(p: QueryParams): string {
  return (
    `sum by (${POD}) (` +
    `label_replace(${detectionPoints(p)}, "component", "falco", "", "") or ` +
    `label_replace(clamp_max(${recorded(RESTARTS_RECORD, p)}, ${MAX_RESTART_POINTS}), "component", "restarts", "", "") or ` +
    `label_replace(max by (${POD}) (${recorded(CPU_RATIO_RECORD, p)} >= bool 0.9) * ${CPU_AT_LIMIT_POINTS}, "component", "cpu", "", ""))`
  );
}

export const riskQueries: QueryEntry[] = [
  {
    id: 'risk.falco_events_by_pod',
    title: 'Falco events by pod and priority',
    description:
      'Falco events per pod and priority in the interval (1h by default), from falcosidekick, first event included, ' +
      "labelled namespace/pod so they join with Kubernetes metrics. The risk score's Falco component.",
    category: 'falco-runtime',
    params: ['cluster', 'namespace', 'pod', 'interval'],
    unit: EVENTS_UNIT,
    visualization: 'table',
    legend: '{{namespace}}/{{pod}} {{priority_raw}}',
    exporters: () => ['falcosidekick'],
    related: ['risk.pod_score', 'falco.events.by_pod'],
    recordingRule: FALCO_EVENTS_RECORD,
    build: falcoEventsByPod,
  },
  {
    id: 'risk.pod_score.definition',
    title: 'Pod risk score (from the component recording rules)',
    description:
      'How the risk score is computed from the last hour: Falco events weighted by priority (40 points per Critical, ' +
      'Alert or Emergency event, 10 per Error, 5 per Warning, 2 per Notice, 1 per Informational or Debug; at most 70), ' +
      'plus 1 per container restart (at most 10) and 20 when a container runs at 90% or more of its CPU limit: ' +
      'detections always outweigh resource pressure. Recorded as containersec:pod_risk_score.',
    category: 'compliance', // the risk score: how exposed a pod is overall
    params: ['cluster', 'namespace', 'pod'],
    unit: 'short',
    visualization: 'table',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => [...SCORE_EXPORTERS],
    related: ['risk.pod_score', 'risk.falco_events_by_pod', 'workload.restarts', 'workload.cpu.limit_ratio'],
    recordingRule: RISK_SCORE_RECORD,
    build: scoreFromRecords,
  },
  {
    id: 'risk.pod_score',
    title: 'Pod risk score',
    description:
      'A 0-100 score per pod over the last hour: Falco detections weighted by priority (up to 70), restarts (up to 10) ' +
      'and CPU pinned at its limit (20). Needs the recording rules from rules/prometheus and falcosidekick for the ' +
      'Falco part. With topN, only the pods with the highest score in the range; a pod at 0 is left out.',
    category: 'compliance', // the risk score: how exposed a pod is overall
    params: ['cluster', 'namespace', 'pod', 'topN'],
    unit: 'short',
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => [...SCORE_EXPORTERS],
    related: ['risk.pod_score.top', 'risk.pod_score.definition', 'falco.events.by_pod'],
    recordingRule: RISK_SCORE_RECORD,
    build: (p) =>
      topRecordedPods(
        recorded(RISK_SCORE_RECORD, p),
        p,
        (range) => `max by (${POD}) (max_over_time(${recorded(RISK_SCORE_RECORD, p)}[${range}] @ end()))`
      ),
  },
  {
    id: 'risk.pod_score.top',
    title: 'Riskiest pods',
    description:
      'The pods with the highest risk score at any time in the range (the dashboard time range by default): an ' +
      'attacked pod stays on top after the attack ends.',
    category: 'compliance', // the risk score: how exposed a pod is overall
    params: ['cluster', 'namespace', 'interval', 'topN'],
    unit: 'short',
    visualization: 'table',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => [...SCORE_EXPORTERS],
    related: ['risk.pod_score'],
    recordingRule: RISK_SCORE_RECORD,
    build: (p) =>
      `topk(${topNOf(p)}, max by (${POD}) (max_over_time(${recorded(RISK_SCORE_RECORD, { ...p, pod: undefined })}[${rangeOf(p, WHOLE_RANGE)}])) > 0)`,
  },
];
