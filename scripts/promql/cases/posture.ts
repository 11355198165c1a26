import { counter, gauge, NS, NS_DECOY, out, POD, POD_DECOY, type QueryCase, s } from './shared';

const NATIVE = 'falcosecurity_falco_rules_matches_total';
const SIDEKICK = 'falcosecurity_falcosidekick_falco_events_total';
const sk = (rule: string, ns: string) => ({
  rule,
  priority: '3',
  priority_raw: 'notice',
  source: 'syscall',
  hostname: 'node-a',
  k8s_ns_name: ns,
  k8s_pod_name: POD,
});

const series = [
  s('kube_pod_info', { namespace: NS, pod: POD, node: 'node-a', host_network: 'true', uid: 'u1' }, gauge(1)),
  s('kube_pod_info', { namespace: NS, pod: POD_DECOY, node: 'node-a', host_network: 'false', uid: 'u2' }, gauge(1)),
  s('kube_pod_info', { namespace: NS_DECOY, pod: POD, node: 'node-b', host_network: 'true', uid: 'u3' }, gauge(1)),
  s(
    'kyverno_policy_results_total',
    {
      policy_name: 'disallow-privileged',
      rule_name: 'privileged-containers',
      resource_namespace: NS,
      rule_result: 'fail',
      resource_kind: 'Pod',
    },
    counter(60)
  ),
  s(
    'kyverno_policy_results_total',
    {
      policy_name: 'disallow-privileged',
      rule_name: 'privileged-containers',
      resource_namespace: NS,
      rule_result: 'pass',
      resource_kind: 'Pod',
    },
    counter(600)
  ),
  s(
    'kyverno_policy_results_total',
    {
      policy_name: 'require-labels',
      rule_name: 'team',
      resource_namespace: NS_DECOY,
      rule_result: 'fail',
      resource_kind: 'Pod',
    },
    counter(120)
  ),
  s('gatekeeper_violations', { enforcement_action: 'deny' }, gauge(3)),
  s('gatekeeper_violations', { enforcement_action: 'dryrun' }, gauge(5)),
  s('trivy_image_vulnerabilities', { namespace: NS, resource_name: 'api', severity: 'Critical' }, gauge(2)),
  s('trivy_image_vulnerabilities', { namespace: NS, resource_name: 'api', severity: 'High' }, gauge(5)),
  s('trivy_image_vulnerabilities', { namespace: NS_DECOY, resource_name: 'api', severity: 'Critical' }, gauge(100)),
  s(NATIVE, { rule_name: 'Launch Privileged Container', priority: '6', source: 'syscall' }, counter(60)),
  s(NATIVE, { rule_name: 'Launch Privileged Container (copy)', priority: '6', source: 'syscall' }, counter(600)),
  s(NATIVE, { rule_name: 'Terminal shell in container', priority: '5', source: 'syscall' }, counter(600)),
  s(SIDEKICK, sk('Launch Privileged Container', NS), counter(60)),
  s(SIDEKICK, sk('Launch Privileged Container', NS_DECOY), counter(120)),
  s(SIDEKICK, sk('Terminal shell in container', NS), counter(600)),
];
const i = '5m';

export const postureCases: QueryCase[] = [
  {
    name: 'hostile namespace',
    id: 'posture.host_network_pods',
    params: { namespace: NS },
    series,
    expected: [out({ namespace: NS, pod: POD, node: 'node-a' }, 1)],
  },
  {
    name: 'every namespace',
    id: 'posture.host_network_pods',
    params: {},
    series,
    expected: [
      out({ namespace: NS, pod: POD, node: 'node-a' }, 1),
      out({ namespace: NS_DECOY, pod: POD, node: 'node-b' }, 1),
    ],
  },
  {
    name: 'hostile namespace',
    id: 'posture.kyverno.violations',
    params: { interval: i, namespace: NS },
    series,
    expected: [out({ policy_name: 'disallow-privileged', rule_name: 'privileged-containers' }, 1)],
  },
  {
    name: 'by enforcement action',
    id: 'posture.gatekeeper.violations',
    params: {},
    series,
    expected: [out({ enforcement_action: 'deny' }, 3), out({ enforcement_action: 'dryrun' }, 5)],
  },
  {
    name: 'hostile namespace',
    id: 'posture.trivy.vulnerabilities',
    params: { namespace: NS },
    series,
    expected: [out({ severity: 'Critical' }, 2), out({ severity: 'High' }, 5)],
  },
  {
    name: 'native, exactly the listed rules',
    id: 'posture.privileged_launches',
    params: { interval: i },
    series,
    expected: [out({ rule_name: 'Launch Privileged Container' }, 300)], // 60 a minute, 5 minutes
  },
  {
    name: 'hostile namespace via falcosidekick',
    id: 'posture.privileged_launches',
    params: { interval: i, namespace: NS },
    series,
    expected: [out({ rule: 'Launch Privileged Container' }, 300)],
  },
];
