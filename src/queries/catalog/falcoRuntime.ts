import { EVENTS_UNIT, eventsSum, PER_INTERVAL, WHOLE_RANGE } from '../eventCounts';
import { falcoEventMetric, falcoEventSelector, FALCO_EVENT_METRICS } from '../falcoSources';
import { fixedMatcher } from '../labels';
import { rangeOf, topNOf } from '../params';
import { podEventsRecorded, podEventsSum, recordedEventsSource, recordedEventsSum } from '../recordedEvents';
import type { Exporter, QueryEntry, QueryParams } from '../types';

// Falco rule matches: what fired, how severe, where. Native Falco counts per rule; falcosidekick adds namespace/pod.

const EVENT_PARAMS: QueryEntry['params'] = [
  'cluster',
  'namespace',
  'pod',
  'rule',
  'minPriority',
  'falcoSource',
  'interval',
];

// Native Falco's tags, each a label tag_<tag>="true" (only native Falco exports tags).
export const FALCO_TAGS = [
  'container',
  'host',
  'process',
  'filesystem',
  'network',
  'users',
  'cis',
  'software_mgmt',
  'shell',
  'k8s',
  'aws',
  'database',
] as const;
// The MITRE ATT&CK tactics Falco's rulesets tag rules with (mitre_<tactic>).
export const MITRE_TACTICS = [
  'initial_access',
  'execution',
  'persistence',
  'privilege_escalation',
  'defense_evasion',
  'credential_access',
  'discovery',
  'lateral_movement',
  'collection',
  'command_and_control',
  'exfiltration',
  'impact',
  'reconnaissance',
  'resource_development',
] as const;

// Series by an open-ended label (rule, namespace, pod): topN keeps the busiest of the range (topEvents).
const TOP_EVENT_PARAMS: QueryEntry['params'] = [...EVENT_PARAMS, 'topN'];

export const CRITICAL_AND_ABOVE_ID = 'falco.events.critical_and_above';

const PRIORITY_NAMES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];

// The events of the metric the parameters select, summed by `by`: from the per-minute record (recordedEvents.ts) when
// `recorded` and the metric has one, else from the raw counters (the fallback while the rules are not installed).
const events = (p: QueryParams, needsWorkload = false, range = PER_INTERVAL, recorded = false) => {
  const m = falcoEventMetric(p, needsWorkload);
  const window = rangeOf(p, range);
  const whole = range === WHOLE_RANGE || window === WHOLE_RANGE;
  const fromRecord = recorded && recordedEventsSource(p, needsWorkload) !== undefined;
  return {
    m,
    fromRecord,
    sum: (by: string) =>
      fromRecord
        ? recordedEventsSum(p, window, by, needsWorkload)
        : eventsSum(falcoEventSelector(m, p), window, by, whole),
    // Only the series of `keep`'s groups: the record's series are filtered before the sum.
    sumKept: (by: string, keep: string) => recordedEventsSum(p, window, by, needsWorkload, [], undefined, keep),
    rank: (by: string) =>
      fromRecord
        ? recordedEventsSum(p, WHOLE_RANGE, by, needsWorkload, [], 'end()')
        : eventsSum(falcoEventSelector(m, p), WHOLE_RANGE, by, true, 'end()'),
  };
};

// The exporters of an event entry: its metric's, and the recording rules when it reads a record.
const eventExporters =
  (needsWorkload = false, recordable = true) =>
  (p: QueryParams): Exporter[] => [
    falcoEventMetric(p, needsWorkload).exporter,
    ...(recordable && recordedEventsSource(p, needsWorkload) ? (['recording-rules'] as const) : []),
  ];

// With topN, a series panel by an open-ended label (pod, namespace, rule: dozens in a real cluster) keeps the N series
// with the most events over the WHOLE range, never by the last point: an attack earlier in the range stays in the panel
// after it ended. The rank is the events of $__range, first events included, pinned to the range's end (@ end(), the
// end of a range query, the evaluation time of an instant one), so every step of a range query keeps the same series
// and Prometheus evaluates the rank once. The per-interval counts themselves are unchanged: `and on` only filters.
// The rank's window is always the range, not the `interval` parameter (that is each point's window).
// Upstream: Grafana's Prometheus datasource sends $__range as whole seconds (getRangeScopedVars: `${Math.round(ms /
// 1000)}s`) and rounds a range query's start and end down to a multiple of the step (alignRange), so end() lies at most
// one step before the dashboard's end and the rank's window is the dashboard's range shifted by less than a step. The @
// modifier and end() are on by default since Prometheus 2.33 (installed here: 2.42); PromQL allows @ only on selectors
// and subqueries, hence eventsSum's `at`, which pins each of its range selectors.
// Pods are many and the top 10 few: their record series are filtered before the sum (`filterFirst`). For namespaces
// and rules most series pass the filter, and filtering the sums is cheaper (at 50,000 series: 70 ms against 140).
const topEvents = (p: QueryParams, by: string, needsWorkload = false, recorded = false, filterFirst = false) => {
  const { sum, rank, fromRecord, sumKept } = events(p, needsWorkload, PER_INTERVAL, recorded);
  if (p.topN === undefined) {
    return sum(by);
  }
  // > 0: a series without events in the range is no top series, however few series have any.
  const top = `topk(${topNOf(p)}, ${rank(by)} > 0)`;
  return fromRecord && filterFirst ? sumKept(by, top) : `${sum(by)} and on (${by}) ${top}`;
};

// Events by pod from the per-pod record (recordedEvents.ts podEventsRecorded): each interval's count, and with topN
// only the pods with the most in the whole range.
function recordedPodEvents(p: QueryParams): string {
  const counts = podEventsSum(p, rangeOf(p, PER_INTERVAL));
  if (p.topN === undefined) {
    return counts;
  }
  const rank = `topk(${topNOf(p)}, ${podEventsSum(p, WHOLE_RANGE, 'end()')} > 0)`;
  return `${counts} and on (cluster, k8s_ns_name, k8s_pod_name) ${rank}`;
}

// One series per tag, labelled with the tag's name: a label-name fact turned into a label value.
function sumPerTag(
  p: QueryParams,
  tags: readonly string[],
  prefix: string,
  outLabel: string,
  recorded: boolean
): string {
  const m = FALCO_EVENT_METRICS.native;
  const range = rangeOf(p, PER_INTERVAL);
  const q: QueryParams = { ...p, namespace: undefined, pod: undefined, falcoSource: 'native' };
  return tags
    .map((tag) => {
      const tagMatcher = fixedMatcher(`tag_${prefix}${tag}`, '=', 'true');
      const count = recorded
        ? recordedEventsSum(q, range, '', false, [tagMatcher])
        : eventsSum(falcoEventSelector(m, q, [tagMatcher]), range, '');
      return `label_replace(${count}, "${outLabel}", "${tag}", "", "")`;
    })
    .join(' or ');
}

// Native and legacy priorities are numbers; name them so the legend reads "Critical", not "2".
function namePriorities(expr: string): string {
  return PRIORITY_NAMES.reduce(
    (acc, name, i) => `label_replace(${acc}, "priority_name", "${name}", "priority", "${i}")`,
    expr
  );
}

// Events by priority, named: falcosidekick carries the name in priority_raw, native Falco only its number.
function byPriority(p: QueryParams, recorded: boolean): string {
  const { m, sum } = events(p, false, PER_INTERVAL, recorded);
  return m.source === 'falcosidekick'
    ? sum('priority_raw')
    : `sum by (priority_name) (${namePriorities(sum('priority'))})`;
}

// > 0: a rule whose counter did not move in the range (it fired before it) is no top rule.
function topRules(p: QueryParams, recorded: boolean): string {
  const { m, sum } = events(p, false, WHOLE_RANGE, recorded);
  return `topk(${topNOf(p)}, ${sum(`${m.ruleLabel}, ${m.priorityLabel}, source`)} > 0)`;
}

export const falcoRuntimeQueries: QueryEntry[] = [
  {
    id: 'falco.events.total',
    title: 'Falco events',
    description:
      'Falco rule matches in each interval ($__interval by default), one series: the overall level of suspicious activity. ' +
      "Counts include a rule's first match, which rate() misses.",
    category: 'falco-runtime',
    params: EVENT_PARAMS,
    unit: EVENTS_UNIT,
    visualization: 'timeseries',
    legend: 'events',
    exporters: eventExporters(),
    related: ['falco.events.by_rule', 'falco.events.by_priority', 'falco.events.critical_and_above'],
    build: (p) => events(p, false, PER_INTERVAL, true).sum(''),
    fallback: (p) => events(p).sum(''),
  },
  {
    id: 'falco.events.by_priority',
    title: 'Falco events by priority',
    description:
      'Rule matches in each interval by priority. Native Falco and falco-exporter number priorities 0 = Emergency ... 7 = Debug; ' +
      'the query names them. falcosidekick carries the name in priority_raw.',
    category: 'falco-runtime',
    params: EVENT_PARAMS,
    unit: EVENTS_UNIT,
    visualization: 'timeseries',
    legend: '{{priority_name}}',
    legendFor: (p) => (falcoEventMetric(p).source === 'falcosidekick' ? '{{priority_raw}}' : '{{priority_name}}'),
    exporters: eventExporters(),
    related: ['falco.events.critical_and_above', 'falco.events.by_rule'],
    build: (p) => byPriority(p, true),
    fallback: (p) => byPriority(p, false),
  },
  {
    id: 'falco.events.by_rule',
    title: 'Falco events by rule',
    description:
      'Rule matches in each interval for each Falco rule: which detections are firing, first match included.' +
      ' With topN, only the N rules with the most matches over the whole range (an attack earlier in it included).',
    category: 'falco-runtime',
    params: TOP_EVENT_PARAMS,
    unit: EVENTS_UNIT,
    visualization: 'timeseries',
    legend: '{{rule_name}}',
    legendFor: (p) => `{{${falcoEventMetric(p).ruleLabel}}}`,
    exporters: eventExporters(),
    related: ['falco.rules.top', 'falco.events.by_priority'],
    build: (p) => topEvents(p, falcoEventMetric(p).ruleLabel, false, true),
    fallback: (p) => topEvents(p, falcoEventMetric(p).ruleLabel),
  },
  {
    id: 'falco.events.by_source',
    title: 'Falco events by source',
    description:
      'Rule matches in each interval by event source (syscall, k8s_audit, plugins): which sensor sees the activity.',
    category: 'falco-runtime',
    params: EVENT_PARAMS,
    unit: EVENTS_UNIT,
    visualization: 'timeseries',
    legend: '{{source}}',
    exporters: eventExporters(),
    related: ['falco.events.by_rule'],
    build: (p) => events(p, false, PER_INTERVAL, true).sum('source'),
    fallback: (p) => events(p).sum('source'),
  },
  {
    id: 'falco.events.by_tag',
    title: 'Falco events by tag',
    description:
      "Rule matches in each interval by the rules' tags (container, host, network, filesystem, ...). Needs native Falco " +
      'metrics (>= 0.39, metrics.enabled=true, rulesCountersEnabled): only they carry tags, as tag_<tag> labels.',
    category: 'falco-runtime',
    params: ['cluster', 'rule', 'minPriority', 'interval'],
    unit: EVENTS_UNIT,
    visualization: 'timeseries',
    legend: '{{tag}}',
    exporters: () => ['falco', 'recording-rules'],
    related: ['falco.events.by_mitre_tactic', 'falco.events.by_rule'],
    build: (p) => sumPerTag(p, FALCO_TAGS, '', 'tag', true),
    fallback: (p) => sumPerTag(p, FALCO_TAGS, '', 'tag', false),
  },
  {
    id: 'falco.events.by_mitre_tactic',
    title: 'Falco events by MITRE ATT&CK tactic',
    description:
      'Rule matches in each interval by the MITRE ATT&CK tactic their rules are tagged with (mitre_execution, ' +
      'mitre_persistence, ...): where in an attack the activity sits. Needs native Falco metrics (>= 0.39).',
    category: 'falco-runtime',
    params: ['cluster', 'rule', 'minPriority', 'interval'],
    unit: EVENTS_UNIT,
    visualization: 'timeseries',
    legend: '{{tactic}}',
    exporters: () => ['falco', 'recording-rules'],
    related: ['falco.events.by_tag', 'falco.events.by_rule'],
    build: (p) => sumPerTag(p, MITRE_TACTICS, 'mitre_', 'tactic', true),
    fallback: (p) => sumPerTag(p, MITRE_TACTICS, 'mitre_', 'tactic', false),
  },
  {
    id: CRITICAL_AND_ABOVE_ID,
    title: 'Critical Falco events',
    description:
      'How many events at Critical, Alert or Emergency priority Falco raised in the range (the dashboard time range by ' +
      'default). Anything above zero deserves a look.',
    category: 'falco-runtime',
    params: ['cluster', 'namespace', 'pod', 'rule', 'falcoSource', 'interval'],
    unit: EVENTS_UNIT,
    visualization: 'stat',
    exporters: eventExporters(),
    related: ['falco.events.by_priority', 'falco.rules.top'],
    build: (p) => events({ ...p, minPriority: 'critical' }, false, WHOLE_RANGE, true).sum(''),
    fallback: (p) => events({ ...p, minPriority: 'critical' }, false, WHOLE_RANGE).sum(''),
  },
  {
    id: 'falco.events.by_namespace',
    title: 'Falco events by namespace',
    description:
      'Rule matches in each interval by Kubernetes namespace. Needs falcosidekick (or legacy falco-exporter): native Falco ' +
      'metrics have no workload labels. With topN, only the N namespaces with the most matches over the whole range.',
    category: 'falco-runtime',
    params: TOP_EVENT_PARAMS,
    unit: EVENTS_UNIT,
    visualization: 'timeseries',
    legend: '{{k8s_ns_name}}',
    exporters: eventExporters(true),
    related: ['falco.events.by_pod', 'risk.pod_score.top'],
    build: (p) => topEvents(p, 'k8s_ns_name', true, true),
    fallback: (p) => topEvents(p, 'k8s_ns_name', true),
  },
  {
    id: 'falco.events.by_pod',
    title: 'Falco events by pod',
    description:
      'Rule matches in each interval by pod. Needs falcosidekick (or legacy falco-exporter): native Falco metrics have no ' +
      'workload labels. With topN, only the N pods with the most matches over the whole range (an attack earlier in it ' +
      'included).',
    category: 'falco-runtime',
    params: TOP_EVENT_PARAMS,
    unit: EVENTS_UNIT,
    visualization: 'timeseries',
    legend: '{{k8s_ns_name}}/{{k8s_pod_name}}',
    exporters: eventExporters(true),
    related: ['falco.events.by_namespace', 'risk.pod_score'],
    build: (p) =>
      podEventsRecorded(p) ? recordedPodEvents(p) : topEvents(p, 'k8s_ns_name, k8s_pod_name', true, true, true),
    fallback: (p) => topEvents(p, 'k8s_ns_name, k8s_pod_name', true),
  },
  {
    id: 'falco.rules.top',
    title: 'Top Falco rules',
    description:
      'The rules that fired most in the range (the dashboard time range by default), with priority and source. ' +
      'Rules that did not fire in the range are left out.',
    category: 'falco-runtime',
    params: ['cluster', 'namespace', 'pod', 'minPriority', 'falcoSource', 'interval', 'topN'],
    unit: EVENTS_UNIT,
    visualization: 'table',
    legend: '{{rule_name}}',
    legendFor: (p) => `{{${falcoEventMetric(p).ruleLabel}}}`,
    exporters: eventExporters(),
    related: ['falco.events.by_rule', 'falco.events.critical_and_above'],
    build: (p) => topRules(p, true),
    fallback: (p) => topRules(p, false),
  },
];
