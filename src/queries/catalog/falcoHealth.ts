import { copyLabel, labelMatcher, selector } from '../labels';
import { WHOLE_RANGE } from '../eventCounts';
import { rangeOf } from '../params';
import type { QueryEntry, QueryParams } from '../types';
import { blindNodesEntry } from './falcoBlindNodes';

// Is Falco seeing everything? Native Falco metrics (>= 0.39, Falco chart metrics.enabled=true) on every node.

const NEEDS =
  'Needs Falco >= 0.39 native metrics (Falco chart metrics.enabled=true, which sets webserver.prometheus_metrics_enabled)';

const falcoSelector = (metric: string, p: QueryParams) => selector(metric, [labelMatcher('cluster', p.cluster)]);

// Native counters carry no hostname; join the node name from falcosecurity_evt_hostname_info on the scrape target.
// Grouped by cluster too: two clusters can each have a node-1.
function perFalcoHost(metric: string, p: QueryParams): string {
  const hostSelector = selector('falcosecurity_evt_hostname_info', [
    labelMatcher('cluster', p.cluster),
    labelMatcher('hostname', p.node),
  ]);
  return (
    `sum by (cluster, hostname) (rate(${falcoSelector(metric, p)}[${rangeOf(p)}]) ` +
    `* on (cluster, instance) group_left (hostname) ${hostSelector})`
  );
}

// Falco health over the range is its worst minute: evaluated each minute of the range (a subquery) and the worst kept.
const WORST_RESOLUTION = '1m';
const worstOf = (fn: 'max_over_time' | 'min_over_time', expr: string, p: QueryParams) =>
  `${fn}((${expr})[${rangeOf(p, WHOLE_RANGE)}:${WORST_RESOLUTION}])`;

// Nodes Kubernetes knows whose hostname no Falco instance reports.
function nodesWithoutFalcoNow(p: QueryParams): string {
  const nodes = selector('kube_node_info', [labelMatcher('cluster', p.cluster), labelMatcher('node', p.node)]);
  const falcoHosts = selector('falcosecurity_evt_hostname_info', [labelMatcher('cluster', p.cluster)]);
  return `max by (cluster, node) (${nodes}) unless on (cluster, node) ${copyLabel(falcoHosts, 'node', 'hostname')}`;
}

// Nodes that were without Falco at any minute of the range.
const nodesWithoutFalco = (p: QueryParams) => worstOf('max_over_time', nodesWithoutFalcoNow(p), p);

// 1 per node for each minute its Falco reported, 0 for a node Kubernetes lists without one; the worst minute.
function falcoUpByNode(p: QueryParams): string {
  const reporting = `max by (cluster, hostname) (${selector('falcosecurity_evt_hostname_info', [labelMatcher('cluster', p.cluster), labelMatcher('hostname', p.node)])})`;
  const nodes = selector('kube_node_info', [labelMatcher('cluster', p.cluster), labelMatcher('node', p.node)]);
  const known = `0 * max by (cluster, hostname) (${copyLabel(nodes, 'hostname', 'node')})`;
  return worstOf('min_over_time', `${reporting} or ${known}`, p);
}

export const falcoHealthQueries: QueryEntry[] = [
  {
    id: 'falco.health.kernel_drops',
    title: 'Falco kernel event drops',
    description:
      'Syscall events per second the kernel driver dropped before Falco could evaluate them (falcosecurity_scap_n_drops_total): ' +
      `activity Falco never saw. ${NEEDS} and metrics.kernelEventCountersEnabled=true.`,
    category: 'falco-health',
    params: ['cluster', 'node', 'interval'],
    unit: 'ops',
    visualization: 'timeseries',
    legend: '{{hostname}}',
    exporters: () => ['falco'],
    related: ['falco.health.queue_drops', 'falco.health.up_by_node'],
    build: (p) => perFalcoHost('falcosecurity_scap_n_drops_total', p),
  },
  {
    id: 'falco.health.queue_drops',
    title: 'Falco output queue drops',
    description:
      'Alerts per second Falco detected but dropped because its output queue was full ' +
      `(falcosecurity_falco_outputs_queue_num_drops_total): detections nobody received. ${NEEDS}.`,
    category: 'falco-health',
    params: ['cluster', 'node', 'interval'],
    unit: 'ops',
    visualization: 'timeseries',
    legend: '{{hostname}}',
    exporters: () => ['falco'],
    related: ['falco.health.kernel_drops'],
    build: (p) => perFalcoHost('falcosecurity_falco_outputs_queue_num_drops_total', p),
  },
  {
    id: 'falco.health.nodes_without_falco',
    title: 'Nodes without Falco',
    description:
      'Kubernetes nodes (kube_node_info) that no Falco instance reported as its hostname at some minute of the range ' +
      `(the dashboard time range by default): blind spots. ${NEEDS} and kube-state-metrics.`,
    category: 'falco-health',
    params: ['cluster', 'node', 'interval'],
    unit: 'short',
    visualization: 'table',
    legend: '{{node}}',
    exporters: () => ['falco', 'kube-state-metrics'],
    related: ['falco.health.nodes_missing', 'falco.health.up_by_node'],
    build: nodesWithoutFalco,
  },
  blindNodesEntry,
  {
    id: 'falco.health.nodes_missing',
    title: 'Nodes missing Falco',
    description: `How many Kubernetes nodes were without Falco reporting at some minute of the range (0 when every node was covered all along). ${NEEDS} and kube-state-metrics.`,
    category: 'falco-health',
    params: ['cluster', 'interval'],
    unit: 'short',
    visualization: 'stat',
    exporters: () => ['falco', 'kube-state-metrics'],
    related: ['falco.health.nodes_without_falco', 'falco.health.up_by_node'],
    build: (p) => `count(${nodesWithoutFalco(p)}) or vector(0)`,
  },
  {
    id: 'falco.health.up_by_node',
    title: 'Falco reporting by node',
    description:
      '1 for every node whose Falco reported metrics (falcosecurity_evt_hostname_info) at every minute of the range, ' +
      `0 when it missed some minute or, for a node kube-state-metrics lists, never reported. ${NEEDS}.`,
    category: 'falco-health',
    params: ['cluster', 'node', 'interval'],
    unit: 'short',
    visualization: 'table',
    legend: '{{hostname}}',
    exporters: () => ['falco'],
    related: ['falco.health.nodes_missing', 'falco.health.versions'],
    build: falcoUpByNode,
  },
  {
    id: 'falco.health.versions',
    title: 'Falco versions',
    description: `How many Falco instances run each Falco version (falcosecurity_falco_version_info): a half-finished upgrade shows two. ${NEEDS}.`,
    category: 'falco-health',
    params: ['cluster'],
    unit: 'short',
    visualization: 'table',
    legend: '{{version}}',
    exporters: () => ['falco'],
    related: ['falco.health.up_by_node', 'falco.health.rules_file_changes'],
    build: (p) => `count by (version) (${falcoSelector('falcosecurity_falco_version_info', p)})`,
  },
  {
    id: 'falco.health.rules_file_changes',
    title: 'Falco rules file changes',
    description:
      'For each rules file, how many times its content (sha256) changed within the range, from ' +
      'falcosecurity_falco_sha256_rules_files_info; above zero after a deploy is expected, at other times it is worth ' +
      `asking who changed the rules. Also counts nodes that disagree on a file. ${NEEDS}.`,
    category: 'falco-health',
    params: ['cluster', 'interval'],
    unit: 'short',
    visualization: 'table',
    legend: '{{file_name}}',
    exporters: () => ['falco'],
    related: ['falco.health.versions'],
    build: (p) =>
      `count by (file_name) (max by (file_name, sha256) (max_over_time(${falcoSelector('falcosecurity_falco_sha256_rules_files_info', p)}[${rangeOf(p, '$__range')}]))) - 1`,
  },
];
