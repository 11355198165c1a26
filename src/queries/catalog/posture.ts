import { EVENTS_UNIT, eventsSum, PER_INTERVAL } from '../eventCounts';
import { falcoEventMetric, falcoEventSelector, privilegedRulesMatcher } from '../falcoSources';
import { fixedMatcher, labelMatcher, selector } from '../labels';
import { rangeOf } from '../params';
import type { QueryEntry, QueryParams } from '../types';
import { kubeState } from './workloadSelectors';

// Posture: risky pod settings and policy-engine findings. kube-state-metrics has no securityContext metrics, so
// privileged containers are seen through Falco's rules and the policy engines.

const clusterNamespace = (metric: string, namespaceLabel: string, p: QueryParams, extra: string[]) =>
  selector(metric, [labelMatcher('cluster', p.cluster), labelMatcher(namespaceLabel, p.namespace), ...extra]);

export const postureQueries: QueryEntry[] = [
  {
    id: 'posture.host_network_pods',
    title: 'Pods on the host network',
    description:
      'Pods running with hostNetwork: true (kube_pod_info host_network label, kube-state-metrics >= 2.4): they see every node interface.',
    category: 'posture',
    params: ['cluster', 'namespace'],
    unit: 'short',
    visualization: 'table',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['kube-state-metrics'],
    related: ['posture.privileged_launches'],
    build: (p) =>
      `max by (cluster, namespace, pod, node) (${kubeState('kube_pod_info', { ...p, pod: undefined }, [fixedMatcher('host_network', '=', 'true')])})`,
  },
  {
    id: 'posture.kyverno.violations',
    title: 'Kyverno policy failures',
    description:
      'Kyverno rule evaluations per second that failed (kyverno_policy_results_total{rule_result="fail"}), by policy and rule.',
    category: 'posture',
    params: ['cluster', 'namespace', 'interval'],
    unit: 'ops',
    visualization: 'timeseries',
    legend: '{{policy_name}}/{{rule_name}}',
    exporters: () => ['kyverno'],
    related: ['posture.gatekeeper.violations'],
    build: (p) =>
      `sum by (policy_name, rule_name) (rate(${clusterNamespace('kyverno_policy_results_total', 'resource_namespace', p, [fixedMatcher('rule_result', '=', 'fail')])}[${rangeOf(p)}]))`,
  },
  {
    id: 'posture.gatekeeper.violations',
    title: 'Gatekeeper audit violations',
    description:
      'Constraint violations found by the last Gatekeeper audit (gatekeeper_violations), by enforcement action.',
    category: 'posture',
    params: ['cluster'],
    unit: 'short',
    visualization: 'stat',
    legend: '{{enforcement_action}}',
    exporters: () => ['gatekeeper'],
    related: ['posture.kyverno.violations'],
    build: (p) =>
      `sum by (enforcement_action) (${selector('gatekeeper_violations', [labelMatcher('cluster', p.cluster)])})`,
  },
  {
    id: 'posture.trivy.vulnerabilities',
    title: 'Image vulnerabilities by severity',
    description: 'Known vulnerabilities in running images by severity (trivy_image_vulnerabilities, Trivy Operator).',
    category: 'posture',
    params: ['cluster', 'namespace'],
    unit: 'short',
    visualization: 'bargauge',
    legend: '{{severity}}',
    exporters: () => ['trivy-operator'],
    related: ['posture.kyverno.violations'],
    build: (p) => `sum by (severity) (${clusterNamespace('trivy_image_vulnerabilities', 'namespace', p, [])})`,
  },
  {
    id: 'posture.privileged_launches',
    title: 'Privileged container launches',
    description:
      "Matches in each interval of Falco's privileged-container rules (first match included): Debugfs Launched in Privileged Container (stable), " +
      'Launch Privileged Container and Mount Launched in Privileged Container (incubating), Launch Sensitive Mount ' +
      'Container and Privileged Container Device Access (sandbox); load those rulesets to see all of them.',
    category: 'posture',
    params: ['cluster', 'namespace', 'pod', 'falcoSource', 'interval'],
    unit: EVENTS_UNIT,
    visualization: 'timeseries',
    legend: '{{rule_name}}',
    legendFor: (p) => `{{${falcoEventMetric(p).ruleLabel}}}`,
    exporters: (p) => [falcoEventMetric(p).exporter],
    related: ['posture.host_network_pods', 'falco.events.by_rule'],
    build: (p) => {
      const m = falcoEventMetric(p);
      const sel = falcoEventSelector(m, { ...p, rule: undefined }, [privilegedRulesMatcher(m)]);
      return eventsSum(sel, rangeOf(p, PER_INTERVAL), m.ruleLabel);
    },
  },
];
