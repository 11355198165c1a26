import { copyLabel, labelMatcher, selector } from '../labels';
import type { QueryEntry, QueryParams } from '../types';

// A node is blind when no working Falco watches it. Two signals, each fast on its own:
// - silent: no Falco reported the node as its hostname for REPORT_WINDOW (the pod is gone, not scheduled, or its
//   metrics stopped); a window, not an instant lookup, so a rollout's new pod bridges the old one's last sample;
// - failing: Prometheus's own `up` is 0 for a scrape target that reported a Falco hostname within the last hour (a
//   crash-looping or hung Falco keeps its pod and IP). Matching the target by its past hostname, not by a job name,
//   finds Falco whatever the ServiceMonitor's job is called, and never matches a sidekick or another exporter.
// A rollout's new pod has a new IP and no past hostname, so its first failed scrapes while Falco loads its driver do
// not count as failing.
export const REPORT_WINDOW = '2m';
const HOSTNAME_MEMORY = '1h';

export function blindNodes(p: QueryParams): string {
  const cluster = labelMatcher('cluster', p.cluster);
  const nodes = `max by (cluster, node) (${selector('kube_node_info', [cluster, labelMatcher('node', p.node)])})`;
  const hostnames = selector('falcosecurity_evt_hostname_info', [cluster]);
  const reporting = copyLabel(
    `max by (cluster, hostname) (max_over_time(${hostnames}[${REPORT_WINDOW}]))`,
    'node',
    'hostname'
  );
  const failing = copyLabel(
    `max by (cluster, hostname) ((${selector('up', [cluster])} == 0) * on (cluster, instance) group_left (hostname) ` +
      `max by (cluster, instance, hostname) (last_over_time(${hostnames}[${HOSTNAME_MEMORY}])))`,
    'node',
    'hostname'
  );
  return `(${nodes} unless on (cluster, node) ${reporting}) or on (cluster, node) (${nodes} and on (cluster, node) ${failing})`;
}

export const blindNodesEntry: QueryEntry = {
  id: 'falco.health.blind_nodes',
  title: 'Nodes Falco does not watch now',
  description:
    `Kubernetes nodes (kube_node_info) that no Falco reported as its hostname in the last ${REPORT_WINDOW}, or whose ` +
    "Falco's scrape target is down (up == 0): blind spots as they happen. A rolling Falco restart, one node at a " +
    'time, stays off the list while the new pod starts. Needs Falco >= 0.39 native metrics and kube-state-metrics.',
  category: 'falco-health',
  params: ['cluster', 'node'],
  unit: 'short',
  visualization: 'table',
  legend: '{{node}}',
  exporters: () => ['falco', 'kube-state-metrics'],
  related: ['falco.health.nodes_without_falco', 'falco.health.up_by_node'],
  build: blindNodes,
};
