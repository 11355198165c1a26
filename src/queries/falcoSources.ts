import { fixedMatcher, labelMatcher, regexMatcher, selector } from './labels';
import { falcoSourceOf, minPriorityIndex } from './params';
import type { Exporter, FalcoMetricsSource, QueryParams } from './types';

// The three metrics that count Falco events, with their real label names and priority scales.
interface FalcoEventMetric {
  source: FalcoMetricsSource;
  exporter: Exporter;
  metric: string;
  ruleLabel: string;
  namespaceLabel?: string; // native Falco has no workload labels
  podLabel?: string;
  priorityLabel: string; // the label to group by for a readable priority
  priorityMatcher: (minIndex: number) => string | undefined;
}

// Native and legacy number priorities like Falco: 0 = emergency ... 7 = debug.
const fromEmergency = (minIndex: number) =>
  minIndex >= 7 ? undefined : fixedMatcher('priority', '=~', `[0-${minIndex}]`);
// falcosidekick numbers them the other way: 1 = debug ... 8 = emergency (0 is its unset default).
const fromDebug = (minIndex: number) =>
  minIndex >= 7 ? undefined : fixedMatcher('priority', '=~', `[${8 - minIndex}-8]`);

export const FALCO_EVENT_METRICS: Record<FalcoMetricsSource, FalcoEventMetric> = {
  native: {
    source: 'native',
    exporter: 'falco',
    metric: 'falcosecurity_falco_rules_matches_total',
    ruleLabel: 'rule_name',
    priorityLabel: 'priority',
    priorityMatcher: fromEmergency,
  },
  falcosidekick: {
    source: 'falcosidekick',
    exporter: 'falcosidekick',
    metric: 'falcosecurity_falcosidekick_falco_events_total',
    ruleLabel: 'rule',
    namespaceLabel: 'k8s_ns_name',
    podLabel: 'k8s_pod_name',
    priorityLabel: 'priority_raw',
    priorityMatcher: fromDebug,
  },
  legacy: {
    source: 'legacy',
    exporter: 'falco-exporter',
    metric: 'falco_events',
    ruleLabel: 'rule',
    namespaceLabel: 'k8s_ns_name',
    podLabel: 'k8s_pod_name',
    priorityLabel: 'priority',
    priorityMatcher: fromEmergency,
  },
};

// Native Falco cannot filter by workload: a namespace/pod filter (or a per-workload query) moves it to falcosidekick.
export function falcoEventMetric(p: QueryParams, needsWorkloadLabels = false): FalcoEventMetric {
  const source = falcoSourceOf(p);
  if (source === 'native' && (needsWorkloadLabels || hasValue(p.namespace) || hasValue(p.pod))) {
    return FALCO_EVENT_METRICS.falcosidekick;
  }
  return FALCO_EVENT_METRICS[source];
}

function hasValue(v: QueryParams['namespace']): boolean {
  return v !== undefined && v !== '';
}

// The event counter's selector with cluster, namespace, pod, rule and minPriority applied in the metric's own labels.
export function falcoEventSelector(m: FalcoEventMetric, p: QueryParams, extra: Array<string | undefined> = []): string {
  const minIndex = minPriorityIndex(p);
  return selector(m.metric, [
    labelMatcher('cluster', p.cluster),
    m.namespaceLabel ? labelMatcher(m.namespaceLabel, p.namespace) : undefined,
    m.podLabel ? labelMatcher(m.podLabel, p.pod) : undefined,
    labelMatcher(m.ruleLabel, p.rule),
    minIndex === undefined ? undefined : m.priorityMatcher(minIndex),
    ...extra,
  ]);
}

// Rules the privileged-container posture counts, by their names in Falco's official rulesets.
export const PRIVILEGED_CONTAINER_RULES = [
  'Launch Privileged Container',
  'Launch Sensitive Mount Container',
  'Privileged Container Device Access',
  'Mount Launched in Privileged Container',
  'Debugfs Launched in Privileged Container',
] as const;

export function privilegedRulesMatcher(m: FalcoEventMetric): string | undefined {
  return regexMatcher(m.ruleLabel, PRIVILEGED_CONTAINER_RULES);
}
