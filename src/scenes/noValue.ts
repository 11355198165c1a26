import { getQuery } from '../queries';

// Panels where no series is the good answer: no drops, no violations, no privileged launches, no Falco events. They
// say "none" instead of Grafana's "No data", which reads like a broken panel. A missing exporter is not shown this
// way: LibraryPanel names the exporter instead of drawing the panel.
export const NONE = 'none';

const EMPTY_IS_GOOD = new Set([
  'falco.health.kernel_drops',
  'falco.health.queue_drops',
  'falco.health.drops_by_type',
  'falco.health.nodes_without_falco',
  'falco.health.rules_file_changes',
  'posture.host_network_pods',
  'posture.privileged_launches',
  'posture.privileged_launches.by_pod',
  'posture.kyverno.violations',
  'posture.gatekeeper.violations',
  'workload.near_limits',
  'workload.crashloop',
  'workload.oom_events',
  'workload.oom_killed',
  'workload.restarts',
  'apiserver.authn.failures',
  'apiserver.authz.denials',
  'apiserver.requests.unauthorized',
  'apiserver.exec_attach_portforward',
  'network.node.listen_drops',
]);

// What a panel of this query shows when the query returns no series; undefined for Grafana's "No data".
export function emptyMeansNone(queryId: string): string | undefined {
  if (EMPTY_IS_GOOD.has(queryId)) {
    return NONE;
  }
  // No Falco event series in the range means Falco matched nothing (rule series are born at their first match).
  return getQuery(queryId).category === 'falco-runtime' ? NONE : undefined;
}

export const EMPTY_IS_GOOD_IDS = [...EMPTY_IS_GOOD];
