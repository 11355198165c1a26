import { counter, gauge, NS, NS_DECOY, out, POD, POD_DECOY, type QueryCase, RULE, RULE_DECOY, s } from './shared';

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
const i = '5m';

export const falcoRuntimeCases: QueryCase[] = [
  {
    name: 'native, everything',
    id: 'falco.events.total',
    params: { interval: i },
    series: all,
    expected: [out({}, 3.5)],
  },
  {
    name: 'native, one hostile rule at critical or above',
    id: 'falco.events.total',
    params: { interval: i, rule: RULE, minPriority: 'critical' },
    series: all,
    expected: [out({}, 1)],
  },
  {
    name: 'falcosidekick, hostile namespace and pod',
    id: 'falco.events.total',
    params: { interval: i, falcoSource: 'falcosidekick', namespace: NS, pod: POD },
    series: all,
    expected: [out({}, 1)],
  },
  {
    name: 'legacy, error and above',
    id: 'falco.events.total',
    params: { interval: i, falcoSource: 'legacy', minPriority: 'error' },
    series: all,
    expected: [out({}, 1)],
  },
  {
    name: 'native numbers become names',
    id: 'falco.events.by_priority',
    params: { interval: i },
    series: all,
    expected: [
      out({ priority_name: 'Critical' }, 1),
      out({ priority_name: 'Warning' }, 2),
      out({ priority_name: 'Debug' }, 0.5),
    ],
  },
  {
    name: 'a hostile namespace moves to falcosidekick',
    id: 'falco.events.by_priority',
    params: { interval: i, namespace: NS },
    series: all,
    expected: [out({ priority_raw: 'critical' }, 1), out({ priority_raw: 'warning' }, 0.5)],
  },
  {
    name: 'falcosidekick, critical and above',
    id: 'falco.events.by_priority',
    params: { interval: i, falcoSource: 'falcosidekick', minPriority: 'critical' },
    series: all,
    expected: [out({ priority_raw: 'critical' }, 3)],
  },
  {
    name: 'native',
    id: 'falco.events.by_rule',
    params: { interval: i },
    series: all,
    expected: [out({ rule_name: RULE }, 1), out({ rule_name: RULE_DECOY }, 2), out({ rule_name: 'Debug rule' }, 0.5)],
  },
  {
    name: 'a hostile namespace moves to falcosidekick',
    id: 'falco.events.by_rule',
    params: { interval: i, namespace: NS },
    series: all,
    expected: [out({ rule: RULE }, 1), out({ rule: RULE_DECOY }, 0.5)],
  },
  {
    name: 'native',
    id: 'falco.events.by_source',
    params: { interval: i },
    series: all,
    expected: [out({ source: 'syscall' }, 3), out({ source: 'k8s_audit' }, 0.5)],
  },
  {
    name: 'legacy, hostile pod',
    id: 'falco.events.by_source',
    params: { interval: i, falcoSource: 'legacy', pod: POD },
    series: all,
    expected: [out({ source: 'SYSCALL' }, 1)],
  },
  {
    name: 'native tags',
    id: 'falco.events.by_tag',
    params: { interval: i },
    series: all,
    expected: [out({ tag: 'container' }, 1), out({ tag: 'host' }, 2), out({ tag: 'k8s' }, 0.5)],
  },
  {
    name: 'hostile rule',
    id: 'falco.events.by_tag',
    params: { interval: i, rule: RULE },
    series: all,
    expected: [out({ tag: 'container' }, 1)],
  },
  {
    name: 'native mitre tags',
    id: 'falco.events.by_mitre_tactic',
    params: { interval: i },
    series: all,
    expected: [out({ tactic: 'execution' }, 1), out({ tactic: 'persistence' }, 2)],
  },
  {
    name: 'hostile rule',
    id: 'falco.events.by_mitre_tactic',
    params: { interval: i, rule: RULE },
    series: all,
    expected: [out({ tactic: 'execution' }, 1)],
  },
  {
    name: 'critical and above',
    id: 'falco.events.by_mitre_tactic',
    params: { interval: i, minPriority: 'critical' },
    series: all,
    expected: [out({ tactic: 'execution' }, 1)],
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
    expected: [out({ k8s_ns_name: NS }, 1.5), out({ k8s_ns_name: NS_DECOY }, 2)],
  },
  {
    name: 'hostile pod',
    id: 'falco.events.by_namespace',
    params: { interval: i, pod: POD },
    series: all,
    expected: [out({ k8s_ns_name: NS }, 1), out({ k8s_ns_name: NS_DECOY }, 2)],
  },
  {
    name: 'legacy',
    id: 'falco.events.by_namespace',
    params: { interval: i, falcoSource: 'legacy' },
    series: all,
    expected: [out({ k8s_ns_name: NS }, 1), out({ k8s_ns_name: NS_DECOY }, 2)],
  },
  {
    name: 'hostile namespace',
    id: 'falco.events.by_pod',
    params: { interval: i, namespace: NS },
    series: all,
    expected: [out({ k8s_ns_name: NS, k8s_pod_name: POD }, 1), out({ k8s_ns_name: NS, k8s_pod_name: POD_DECOY }, 0.5)],
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
];
