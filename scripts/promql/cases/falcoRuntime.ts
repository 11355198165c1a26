import {
  CLUSTER,
  CLUSTER_DECOY,
  counter,
  gauge,
  NS,
  NS_DECOY,
  out,
  POD,
  POD_DECOY,
  type QueryCase,
  RULE,
  RULE_DECOY,
  s,
} from './shared';

// Falco events in each exporter's real label shape: native numbers priorities 0 = emergency, falcosidekick
// 8 = emergency with the name in priority_raw, falco-exporter like native.
const NATIVE = 'falcosecurity_falco_rules_matches_total';
const SIDEKICK = 'falcosecurity_falcosidekick_falco_events_total';
const LEGACY = 'falco_events';

const native = [
  s(
    NATIVE,
    { rule_name: RULE, priority: '2', source: 'syscall', tag_container: 'true', tag_mitre_execution: 'true' },
    counter(60)
  ),
  s(
    NATIVE,
    { rule_name: RULE_DECOY, priority: '4', source: 'syscall', tag_host: 'true', tag_mitre_persistence: 'true' },
    counter(120)
  ),
  s(NATIVE, { rule_name: 'Debug rule', priority: '7', source: 'k8s_audit', tag_k8s: 'true' }, counter(30)),
];
const sidekickLabels = { source: 'syscall', hostname: 'node-a' };
const sidekick = [
  s(
    SIDEKICK,
    { ...sidekickLabels, rule: RULE, priority: '6', priority_raw: 'critical', k8s_ns_name: NS, k8s_pod_name: POD },
    counter(60)
  ),
  s(
    SIDEKICK,
    {
      ...sidekickLabels,
      rule: RULE,
      priority: '6',
      priority_raw: 'critical',
      k8s_ns_name: NS_DECOY,
      k8s_pod_name: POD,
    },
    counter(120)
  ),
  s(
    SIDEKICK,
    {
      ...sidekickLabels,
      rule: RULE_DECOY,
      priority: '4',
      priority_raw: 'warning',
      k8s_ns_name: NS,
      k8s_pod_name: POD_DECOY,
    },
    counter(30)
  ),
];
const legacy = [
  s(
    LEGACY,
    { rule: RULE, priority: '2', source: 'SYSCALL', hostname: 'node-a', k8s_ns_name: NS, k8s_pod_name: POD },
    counter(60)
  ),
  s(
    LEGACY,
    {
      rule: RULE_DECOY,
      priority: '5',
      source: 'SYSCALL',
      hostname: 'node-a',
      k8s_ns_name: NS_DECOY,
      k8s_pod_name: POD_DECOY,
    },
    counter(120)
  ),
];
const all = [...native, ...sidekick, ...legacy];
const i = '5m'; // a counter(60) grows by 300 in the window: counts are events, no longer per-second rates

// Counters as Falco and falcosidekick write them: a series appears at its first event (born at 1, or at 5 when five
// events came before the first scrape), a Falco restart starts it again from 0, a failed scrape leaves a stale
// marker and a gap. Evaluated over (10m, 20m], each is worth: born at 1: 1, born at 5: 5, restart: 3 -> 7 is 4, then
// back at 1 after the restart is 1 more: 5; the gap: 3 -> 5 across the gap: 2. 13 in all; 10 in (10m, 15m] and 3
// in (15m, 20m] (adjacent windows add up).
const critical = (rule: string) => ({ rule_name: rule, priority: '2', source: 'syscall' });
const firstEvents = [
  s(NATIVE, critical('Born at 1'), '_x12 1x68'),
  s(NATIVE, critical('Born at 5'), '_x12 5x68'),
  s(NATIVE, critical('Restarted'), '3x10 7x5 1x64'),
  s(NATIVE, critical('Scrape gap'), '3x10 stale _x4 5x64'),
];
const bornPod = (pod: string, value: string) =>
  s(
    SIDEKICK,
    { ...sidekickLabels, rule: RULE, priority: '6', priority_raw: 'critical', k8s_ns_name: NS, k8s_pod_name: pod },
    value
  );

// topN over an hour, evaluated at its end (60m, range 1h, 5-minute intervals). Series are born at their first event.
const sidekickPod = (ns: string, pod: string, values: string) =>
  s(
    SIDEKICK,
    { ...sidekickLabels, rule: RULE, priority: '6', priority_raw: 'critical', k8s_ns_name: ns, k8s_pod_name: pod },
    values
  );
// Busy only at the end: born at k in minute 51, k more each minute to 10k at 60m. The hour's count is 10k, first event
// included; the last 5-minute interval's (55m, 60m] is 5k.
const lateBurst = (k: number) => `_x51 ${k}+${k}x9 ${10 * k}x20`;
// An attack early in the hour: 35 events before falcosidekick's first scrape of the pod (born at 35 in minute 5), then
// nothing. The hour's count is 35, every one a first event (increase() sees 0); the last interval's is 0.
const SIDEKICK_RECORD = 'containersec:falcosidekick_events:count1m';
const EARLY_ATTACK = '_x5 35x75';
// A counter that last moved before the hour: 0 in it.
const BEFORE_RANGE = '7x80';

export const falcoRuntimeCases: QueryCase[] = [
  {
    name: 'native, everything',
    id: 'falco.events.total',
    params: { interval: i },
    series: all,
    expected: [out({}, 1050)],
  },
  {
    name: 'native, one hostile rule at critical or above',
    id: 'falco.events.total',
    params: { interval: i, rule: RULE, minPriority: 'critical' },
    series: all,
    expected: [out({}, 300)],
  },
  {
    name: 'falcosidekick, hostile namespace and pod',
    id: 'falco.events.total',
    params: { interval: i, falcoSource: 'falcosidekick', namespace: NS, pod: POD },
    series: all,
    expected: [out({}, 300)],
  },
  {
    name: 'legacy, error and above',
    id: 'falco.events.total',
    params: { interval: i, falcoSource: 'legacy', minPriority: 'error' },
    series: all,
    expected: [out({}, 300)],
  },
  {
    name: 'native numbers become names',
    id: 'falco.events.by_priority',
    params: { interval: i },
    series: all,
    expected: [
      out({ priority_name: 'Critical' }, 300),
      out({ priority_name: 'Warning' }, 600),
      out({ priority_name: 'Debug' }, 150),
    ],
  },
  {
    name: 'a hostile namespace moves to falcosidekick',
    id: 'falco.events.by_priority',
    params: { interval: i, namespace: NS },
    series: all,
    expected: [out({ priority_raw: 'critical' }, 300), out({ priority_raw: 'warning' }, 150)],
  },
  {
    name: 'falcosidekick, critical and above',
    id: 'falco.events.by_priority',
    params: { interval: i, falcoSource: 'falcosidekick', minPriority: 'critical' },
    series: all,
    expected: [out({ priority_raw: 'critical' }, 900)],
  },
  {
    name: 'native',
    id: 'falco.events.by_rule',
    params: { interval: i },
    series: all,
    expected: [
      out({ rule_name: RULE }, 300),
      out({ rule_name: RULE_DECOY }, 600),
      out({ rule_name: 'Debug rule' }, 150),
    ],
  },
  {
    name: 'a hostile namespace moves to falcosidekick',
    id: 'falco.events.by_rule',
    params: { interval: i, namespace: NS },
    series: all,
    expected: [out({ rule: RULE }, 300), out({ rule: RULE_DECOY }, 150)],
  },
  {
    name: 'native',
    id: 'falco.events.by_source',
    params: { interval: i },
    series: all,
    expected: [out({ source: 'syscall' }, 900), out({ source: 'k8s_audit' }, 150)],
  },
  {
    name: 'legacy, hostile pod',
    id: 'falco.events.by_source',
    params: { interval: i, falcoSource: 'legacy', pod: POD },
    series: all,
    expected: [out({ source: 'SYSCALL' }, 300)],
  },
  {
    name: 'native tags',
    id: 'falco.events.by_tag',
    params: { interval: i },
    series: all,
    expected: [out({ tag: 'container' }, 300), out({ tag: 'host' }, 600), out({ tag: 'k8s' }, 150)],
  },
  {
    name: 'hostile rule',
    id: 'falco.events.by_tag',
    params: { interval: i, rule: RULE },
    series: all,
    expected: [out({ tag: 'container' }, 300)],
  },
  {
    name: 'native mitre tags',
    id: 'falco.events.by_mitre_tactic',
    params: { interval: i },
    series: all,
    expected: [out({ tactic: 'execution' }, 300), out({ tactic: 'persistence' }, 600)],
  },
  {
    name: 'hostile rule',
    id: 'falco.events.by_mitre_tactic',
    params: { interval: i, rule: RULE },
    series: all,
    expected: [out({ tactic: 'execution' }, 300)],
  },
  {
    name: 'critical and above',
    id: 'falco.events.by_mitre_tactic',
    params: { interval: i, minPriority: 'critical' },
    series: all,
    expected: [out({ tactic: 'execution' }, 300)],
  },
  {
    name: 'native',
    id: 'falco.events.critical_and_above',
    params: { interval: i },
    series: all,
    expected: [out({}, 300)],
  },
  {
    name: 'falcosidekick, hostile namespace',
    id: 'falco.events.critical_and_above',
    params: { interval: i, namespace: NS, falcoSource: 'falcosidekick' },
    series: all,
    expected: [out({}, 300)],
  },
  {
    name: 'falcosidekick by default',
    id: 'falco.events.by_namespace',
    params: { interval: i },
    series: all,
    expected: [out({ k8s_ns_name: NS }, 450), out({ k8s_ns_name: NS_DECOY }, 600)],
  },
  {
    name: 'hostile pod',
    id: 'falco.events.by_namespace',
    params: { interval: i, pod: POD },
    series: all,
    expected: [out({ k8s_ns_name: NS }, 300), out({ k8s_ns_name: NS_DECOY }, 600)],
  },
  {
    name: 'legacy',
    id: 'falco.events.by_namespace',
    params: { interval: i, falcoSource: 'legacy' },
    series: all,
    expected: [out({ k8s_ns_name: NS }, 300), out({ k8s_ns_name: NS_DECOY }, 600)],
  },
  {
    name: 'hostile namespace',
    id: 'falco.events.by_pod',
    params: { interval: i, namespace: NS },
    series: all,
    expected: [
      out({ k8s_ns_name: NS, k8s_pod_name: POD }, 300),
      out({ k8s_ns_name: NS, k8s_pod_name: POD_DECOY }, 150),
    ],
  },
  {
    name: 'native top 2',
    id: 'falco.rules.top',
    params: { interval: i, topN: 2 },
    series: all,
    expected: [
      out({ rule_name: RULE_DECOY, priority: '4', source: 'syscall' }, 600),
      out({ rule_name: RULE, priority: '2', source: 'syscall' }, 300),
    ],
  },
  {
    name: 'native: a loaded rule that never fired is not a top rule',
    id: 'falco.rules.top',
    params: { interval: i, topN: 5 },
    series: [...native, s(NATIVE, { rule_name: 'Quiet rule', priority: '1', source: 'syscall' }, gauge(0))],
    expected: [
      out({ rule_name: RULE_DECOY, priority: '4', source: 'syscall' }, 600),
      out({ rule_name: RULE, priority: '2', source: 'syscall' }, 300),
      out({ rule_name: 'Debug rule', priority: '7', source: 'k8s_audit' }, 150),
    ],
  },
  {
    name: 'falcosidekick, critical, hostile namespace',
    id: 'falco.rules.top',
    params: { interval: i, topN: 1, minPriority: 'critical', namespace: NS },
    series: all,
    expected: [out({ rule: RULE, priority_raw: 'critical', source: 'syscall' }, 300)],
  },
  {
    // Per-interval counts leave out the in-window restart branch (eventCounts.ts): the restarted counter counts the 1
    // it reached after the restart, not the 4 before it in the same window. Adjacent 5-minute intervals count it.
    name: 'first events over one 10-minute interval: a restart inside it counts only what came after it',
    id: 'falco.events.total',
    params: { interval: '10m' },
    series: firstEvents,
    evalTime: '20m',
    expected: [out({}, 9)],
    // The per-minute record counts each minute apart, so the 4 before the restart count too: exact, like the two
    // adjacent 5-minute intervals below (10 + 3).
    recordedExpected: [out({}, 13)],
  },
  {
    name: 'first events: the first of two adjacent 5-minute intervals',
    id: 'falco.events.total',
    params: { interval: '5m' },
    series: firstEvents,
    evalTime: '15m',
    expected: [out({}, 10)],
  },
  {
    name: 'first events: the second of two adjacent 5-minute intervals',
    id: 'falco.events.total',
    params: { interval: '5m' },
    series: firstEvents,
    evalTime: '20m',
    expected: [out({}, 3)],
  },
  {
    name: 'first events: a series born at 1 and never moving counts once in its interval, then never again',
    id: 'falco.events.by_rule',
    params: { interval: '5m', rule: 'Born at 1' },
    series: firstEvents,
    evalTime: '60m',
    expected: [out({ rule_name: 'Born at 1' }, 0)],
  },
  {
    name: 'first events: every case counted in the range',
    id: 'falco.events.critical_and_above',
    params: { interval: '10m' },
    series: firstEvents,
    evalTime: '20m',
    expected: [out({}, 13)],
  },
  {
    name: 'first events: a single critical event in a new pod',
    id: 'falco.events.critical_and_above',
    params: { interval: '1h', falcoSource: 'falcosidekick', pod: POD },
    series: [bornPod(POD, '_x30 1x50'), bornPod(POD_DECOY, '_x30 1x50')],
    evalTime: '40m',
    expected: [out({}, 1)],
  },
  {
    name: 'first events: each rule with its own count',
    id: 'falco.rules.top',
    params: { interval: '10m', topN: 10 },
    series: firstEvents,
    evalTime: '20m',
    expected: [
      out(critical('Born at 1'), 1),
      out(critical('Born at 5'), 5),
      out(critical('Restarted'), 5),
      out(critical('Scrape gap'), 2),
    ],
  },
  {
    // Its input is the per-minute record (first events already counted there), in that record's label shape.
    name: 'the per-pod record: every rule and priority of a pod summed, the hostile namespace and pod escaped',
    id: 'falco.events.by_pod.definition',
    params: { namespace: NS, pod: POD },
    series: [
      s(
        SIDEKICK_RECORD,
        { rule: RULE, priority: '6', priority_raw: 'critical', k8s_ns_name: NS, k8s_pod_name: POD },
        '5x10'
      ),
      s(
        SIDEKICK_RECORD,
        { rule: 'Another rule', priority: '4', priority_raw: 'warning', k8s_ns_name: NS, k8s_pod_name: POD },
        '1x10'
      ),
      s(
        SIDEKICK_RECORD,
        { rule: RULE, priority: '6', priority_raw: 'critical', k8s_ns_name: NS, k8s_pod_name: POD_DECOY },
        '3x10'
      ),
    ],
    expected: [out({ k8s_ns_name: NS, k8s_pod_name: POD }, 6)],
  },
  {
    name: 'first events: born at 5 by pod',
    id: 'falco.events.by_pod',
    params: { interval: '10m', namespace: NS },
    series: [bornPod(POD, '_x12 5x68'), bornPod(POD_DECOY, '2x10 3x70')],
    evalTime: '20m',
    expected: [out({ k8s_ns_name: NS, k8s_pod_name: POD }, 5), out({ k8s_ns_name: NS, k8s_pod_name: POD_DECOY }, 1)],
  },
  // topN ranks by the whole range's count, never the last point: N + 3 pods, three busy at the end, and the pod of
  // an attack early in the hour, idle since, stays because of its range total (35, all first events) while the pods
  // busy only at the end with less (20, 10) drop out, as does one that fired before the hour. The per-interval values
  // are unchanged (the early pod shows its 0). A decoy namespace with the most events stays filtered out.
  {
    name: 'topN keeps the pod of an attack early in the range, ranked by the range total',
    id: 'falco.events.by_pod',
    params: { interval: '5m', topN: 3, namespace: NS },
    range: '1h',
    evalTime: '60m',
    series: [
      sidekickPod(NS, 'busy-a', lateBurst(5)),
      sidekickPod(NS, POD, EARLY_ATTACK),
      sidekickPod(NS, 'busy-b', lateBurst(3)),
      sidekickPod(NS, 'busy-c', lateBurst(2)),
      sidekickPod(NS, 'busy-d', lateBurst(1)),
      sidekickPod(NS, 'quiet', BEFORE_RANGE),
      sidekickPod(NS_DECOY, POD, lateBurst(10)),
    ],
    expected: [
      out({ k8s_ns_name: NS, k8s_pod_name: 'busy-a' }, 25),
      out({ k8s_ns_name: NS, k8s_pod_name: POD }, 0),
      out({ k8s_ns_name: NS, k8s_pod_name: 'busy-b' }, 15),
    ],
  },
  {
    name: 'topN: a single event early in the range (series born at 1) outranks namespaces quiet in it',
    id: 'falco.events.by_namespace',
    params: { interval: '5m', topN: 2, pod: POD },
    range: '1h',
    evalTime: '60m',
    series: [
      sidekickPod(NS, POD, '_x5 1x75'),
      sidekickPod('busy', POD, lateBurst(2)),
      sidekickPod('quiet-1', POD, BEFORE_RANGE),
      sidekickPod('quiet-2', POD, BEFORE_RANGE),
      sidekickPod('quiet-3', POD, BEFORE_RANGE),
      sidekickPod(NS_DECOY, POD_DECOY, lateBurst(10)),
    ],
    expected: [out({ k8s_ns_name: 'busy' }, 10), out({ k8s_ns_name: NS }, 0)],
  },
  {
    name: 'native topN: the rules with the most matches in the range',
    id: 'falco.events.by_rule',
    params: { interval: i, topN: 2 },
    range: '1h',
    series: all,
    expected: [out({ rule_name: RULE }, 300), out({ rule_name: RULE_DECOY }, 600)],
  },
  {
    name: 'falcosidekick topN, hostile namespace',
    id: 'falco.events.by_rule',
    params: { interval: i, topN: 1, namespace: NS },
    range: '1h',
    series: all,
    expected: [out({ rule: RULE }, 300)],
  },
  {
    name: 'topN with more slots than rules keeps every rule, its counts unchanged',
    id: 'falco.events.by_rule',
    params: { interval: '10m', topN: 10 },
    range: '1h',
    series: firstEvents,
    evalTime: '20m',
    expected: [
      out({ rule_name: 'Born at 1' }, 1),
      out({ rule_name: 'Born at 5' }, 5),
      out({ rule_name: 'Restarted' }, 1),
      out({ rule_name: 'Scrape gap' }, 2),
    ],
    // From the per-minute record, the restarted counter's 4 before the restart count too.
    recordedExpected: [
      out({ rule_name: 'Born at 1' }, 1),
      out({ rule_name: 'Born at 5' }, 5),
      out({ rule_name: 'Restarted' }, 5),
      out({ rule_name: 'Scrape gap' }, 2),
    ],
  },
];

// The per-minute records' definitions: scrape targets (two Falco pods, two falcosidekick replicas) summed away, the
// event's own labels kept (tags included), a series' first event counted in the minute it appears.
const target = (pod: string, ip: string) => ({ instance: `${ip}:8765`, job: 'falco-metrics', namespace: 'falco', pod });
const tagged = {
  rule_name: RULE,
  priority: '2',
  source: 'syscall',
  tag_container: 'true',
  tag_mitre_execution: 'true',
};
const replica = (pod: string, ip: string) => ({
  instance: `${ip}:2801`,
  job: 'falco-falcosidekick',
  namespace: 'falco',
  pod,
  service: 'falco-falcosidekick',
});
const workload = {
  ...sidekickLabels,
  rule: RULE,
  priority: '6',
  priority_raw: 'critical',
  k8s_ns_name: NS,
  k8s_pod_name: POD,
};
export const perMinuteDefinitionCases: QueryCase[] = [
  {
    name: 'two Falco pods: one moves by 2, the other is born at 3 in the minute',
    id: 'falco.events.native_per_minute.definition',
    params: {},
    series: [
      s(NATIVE, { ...target('falco-a', '10.0.0.1'), ...tagged }, '0+2x80'),
      s(NATIVE, { ...target('falco-b', '10.0.0.2'), ...tagged }, '_x10 3x70'),
    ],
    expected: [out(tagged, 5)],
  },
  {
    name: 'a hostile cluster is matched exactly',
    id: 'falco.events.native_per_minute.definition',
    params: { cluster: CLUSTER },
    series: [
      s(NATIVE, { ...target('falco-a', '10.0.0.1'), ...tagged, cluster: CLUSTER }, '0+2x80'),
      s(NATIVE, { ...target('falco-a', '10.0.0.1'), ...tagged, cluster: CLUSTER_DECOY }, '0+2x80'),
    ],
    expected: [out({ ...tagged, cluster: CLUSTER }, 2)],
  },
  {
    name: 'two replicas: a pod born at 1 on one, moving by 1 on the other',
    id: 'falco.events.falcosidekick_per_minute.definition',
    params: {},
    series: [
      s(SIDEKICK, { ...replica('sidekick-a', '10.0.0.5'), ...workload }, '_x10 1x70'),
      s(SIDEKICK, { ...replica('sidekick-b', '10.0.0.6'), ...workload }, '0+1x80'),
    ],
    expected: [out(workload, 2)],
  },
];
