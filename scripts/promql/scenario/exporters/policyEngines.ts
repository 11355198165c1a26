// Posture from policy engines (kube-state-metrics has no securityContext metrics): Kyverno policy results,
// Gatekeeper audit violations and Trivy operator image vulnerabilities.
import { ATTACKS } from '../attacks';
import { Pod, PODS } from '../cluster';
import { Family, Labels, Series } from '../openmetrics';
import { seededRandom } from '../random';
import { inside, scrapeTimes } from '../timeline';

// Policy reports change slowly; their ServiceMonitors scrape every minute.
const POLICY_SCRAPE_INTERVAL = 60;
import { constant, counter } from '../values';

const times = scrapeTimes(POLICY_SCRAPE_INTERVAL, 29);
export const kyvernoTarget: Labels = {
  container: 'kyverno',
  endpoint: 'metrics-port',
  instance: '10.244.0.40:8000',
  job: 'kyverno-svc-metrics',
  pod: PODS.find((p) => p.namespace === 'kyverno')!.name,
  service: 'kyverno-svc-metrics',
};
const POLICIES: Array<[string, string, number]> = [
  ['disallow-privileged-containers', 'privileged-containers', 0],
  ['disallow-host-namespaces', 'host-namespaces', 0.02],
  ['require-run-as-nonroot', 'run-as-non-root', 0.3],
  ['restrict-image-registries', 'validate-registries', 0.1],
  ['require-requests-limits', 'validation', 0.15],
];
const NAMESPACES = [...new Set(PODS.map((p) => p.namespace))].filter((ns) => !ns.includes('"'));

function* kyvernoSeries(): Generator<Series> {
  for (const [policy, rule, failShare] of POLICIES) {
    for (const namespace of NAMESPACES) {
      for (const result of ['pass', 'fail']) {
        const random = seededRandom(`kyverno/${policy}/${namespace}/${result}`);
        const privilegedLaunch =
          policy === 'disallow-privileged-containers' &&
          namespace === ATTACKS.privilegedPod.pod.namespace &&
          result === 'fail';
        // Each admission retry of the privileged pod fails the policy again (audit mode lets it through).
        const launch = (t: number) => (privilegedLaunch && inside(ATTACKS.privilegedPod.window, t) ? 0.05 : 0);
        const share = result === 'fail' ? Math.max(failShare, privilegedLaunch ? 0.01 : 0) : 1 - failShare;
        const perSecond = (t: number) => launch(t) + 0.002 * share;
        const values = counter(times, random, perSecond, { integer: true });
        if (values[values.length - 1] === 0) {
          continue;
        }
        yield {
          labels: {
            ...kyvernoTarget,
            namespace: 'kyverno',
            policy_background_mode: 'true',
            policy_name: policy,
            policy_namespace: '-',
            policy_type: 'cluster',
            policy_validation_mode: 'audit',
            resource_kind: 'Pod',
            resource_namespace: namespace,
            resource_request_operation: 'create',
            rule_execution_cause: 'admission_request',
            rule_name: rule,
            rule_result: result,
            rule_type: 'validate',
          },
          times,
          values: values.map((v) => (v === 0 ? NaN : v)),
        };
      }
    }
  }
}

export const gatekeeperTarget: Labels = {
  container: 'manager',
  endpoint: 'metrics',
  instance: '10.244.1.41:8888',
  job: 'gatekeeper-audit',
  namespace: 'gatekeeper-system',
  pod: PODS.find((p) => p.namespace === 'gatekeeper-system')!.name,
  service: 'gatekeeper-audit',
};

export const trivyTarget: Labels = {
  endpoint: 'metrics',
  instance: '10.244.2.42:80',
  job: 'trivy-operator',
  service: 'trivy-operator',
};
const SEVERITIES: Array<[string, number]> = [
  ['Critical', 0.02],
  ['High', 0.1],
  ['Medium', 0.3],
  ['Low', 0.4],
  ['Unknown', 0.02],
];

function* trivySeries(): Generator<Series> {
  const seen = new Set<string>();
  for (const pod of PODS.filter((p: Pod) => !p.name.includes('"'))) {
    for (const ct of pod.containers) {
      const key = `${pod.namespace}/${pod.ownerName}/${ct.name}`;
      if (seen.has(key)) {
        continue; // Trivy reports per workload, not per replica
      }
      seen.add(key);
      const random = seededRandom(`trivy/${key}`);
      const [registry, ...rest] = ct.image.split('/');
      const [repository, tag] = rest.join('/').split(':');
      const total = Math.floor(random() * 120);
      for (const [severity, share] of SEVERITIES) {
        yield {
          labels: {
            ...trivyTarget,
            container_name: ct.name,
            image_digest: '',
            image_registry: registry,
            image_repository: repository,
            image_tag: tag,
            namespace: pod.namespace,
            resource_kind: pod.ownerKind,
            resource_name: pod.ownerName,
            severity,
          },
          times,
          values: constant(
            times,
            Math.round(total * share),
            (t) => pod.createdAt === undefined || t >= pod.createdAt + 120
          ),
        };
      }
    }
  }
}

export function policyEngineFamilies(): Family[] {
  return [
    {
      name: 'kyverno_policy_results_total',
      type: 'counter',
      help: "can be used to track the results associated with the policies applied in the user's cluster, at the level from rule to policy to admission requests",
      series: kyvernoSeries(),
    },
    {
      name: 'gatekeeper_violations',
      type: 'gauge',
      help: 'Total number of audited violations',
      series: [
        ['deny', 3],
        ['dryrun', 11],
        ['warn', 4],
      ].map(([action, n]) => ({
        labels: { ...gatekeeperTarget, enforcement_action: String(action) },
        times,
        values: constant(times, Number(n)),
      })),
    },
    {
      name: 'trivy_image_vulnerabilities',
      type: 'gauge',
      help: 'Number of container image vulnerabilities',
      series: trivySeries(),
    },
  ];
}
