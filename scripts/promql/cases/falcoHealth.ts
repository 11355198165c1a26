import { CLUSTER, CLUSTER_DECOY, counter, gauge, NODE, NODE_DECOY, out, type QueryCase, s } from './shared';

// Native Falco health metrics carry the scrape target's instance; the hostname comes from falcosecurity_evt_hostname_info.
const A = { instance: '10.0.0.1:8765' };
const B = { instance: '10.0.0.2:8765' };

const hosts = [
  s('falcosecurity_evt_hostname_info', { ...A, hostname: 'node-a' }, gauge(1)),
  s('falcosecurity_evt_hostname_info', { ...B, hostname: 'node-b' }, gauge(1)),
];
const nodes = ['node-a', 'node-b', 'node-c'].map((node) =>
  s('kube_node_info', { node, kernel_version: '6.8.0' }, gauge(1))
);
const series = [
  ...hosts,
  ...nodes,
  s('falcosecurity_scap_n_drops_total', A, counter(60)),
  s('falcosecurity_scap_n_drops_total', B, counter(0)),
  s('falcosecurity_falco_outputs_queue_num_drops_total', A, counter(0)),
  s('falcosecurity_falco_outputs_queue_num_drops_total', B, counter(120)),
  s('falcosecurity_falco_version_info', { ...A, version: '0.41.0' }, gauge(1)),
  s('falcosecurity_falco_version_info', { ...B, version: '0.42.0' }, gauge(1)),
  // node-b's falco_rules.yaml changes at minute 5; custom.yaml stays the same everywhere.
  s('falcosecurity_falco_sha256_rules_files_info', { ...A, file_name: 'falco_rules.yaml', sha256: 'aaa' }, gauge(1)),
  s('falcosecurity_falco_sha256_rules_files_info', { ...B, file_name: 'falco_rules.yaml', sha256: 'aaa' }, '1+0x4'),
  s(
    'falcosecurity_falco_sha256_rules_files_info',
    { ...B, file_name: 'falco_rules.yaml', sha256: 'bbb' },
    '_x5 1+0x75'
  ),
  s('falcosecurity_falco_sha256_rules_files_info', { ...A, file_name: 'custom.yaml', sha256: 'ccc' }, gauge(1)),
  s('falcosecurity_falco_sha256_rules_files_info', { ...B, file_name: 'custom.yaml', sha256: 'ccc' }, gauge(1)),
];
const covered = [...hosts, ...nodes.slice(0, 2)];
// node-b's Falco stops reporting from minute 30 to 40 (a crash loop), then is back.
const flapping = [
  s('falcosecurity_evt_hostname_info', { ...A, hostname: 'node-a' }, gauge(1)),
  s('falcosecurity_evt_hostname_info', { ...B, hostname: 'node-b' }, '1x29 stale _x9 1x40'),
  ...nodes.slice(0, 2),
];
// Two clusters that each name a node node-a.
const PROD = { cluster: 'prod', instance: '10.0.0.1:8765' };
const STAGING = { cluster: 'staging', instance: '10.0.0.1:8765' };
const twoClusters = [
  s('falcosecurity_evt_hostname_info', { ...PROD, hostname: 'node-a' }, gauge(1)),
  s('falcosecurity_evt_hostname_info', { ...STAGING, hostname: 'node-a' }, gauge(1)),
  s('falcosecurity_scap_n_drops_total', PROD, counter(60)),
  s('falcosecurity_scap_n_drops_total', STAGING, counter(0)),
];
const i = '5m';
// Now (minute 10): node-b's Falco target fails every scrape since minute 5 (up == 0), node-c's Falco was never
// scheduled, node-a reports; a decoy node's Falco would match an unescaped node parameter.
const blindNow = [
  ...hosts.slice(0, 1),
  s('falcosecurity_evt_hostname_info', { ...B, hostname: 'node-b' }, '1x5 stale'),
  s('up', { ...A, job: 'falco-metrics' }, gauge(1)),
  s('up', { ...B, job: 'falco-metrics' }, '1x5 0x75'),
  // Another exporter down on the same IP range is no Falco: it never reported a hostname.
  s('up', { instance: '10.0.0.9:2801', job: 'falco-falcosidekick' }, '0x80'),
  ...nodes,
];
const hostile = [
  s('kube_node_info', { cluster: CLUSTER, node: NODE }, gauge(1)),
  s('kube_node_info', { cluster: CLUSTER, node: NODE_DECOY }, gauge(1)),
  s('kube_node_info', { cluster: CLUSTER_DECOY, node: NODE }, gauge(1)),
];

export const falcoHealthCases: QueryCase[] = [
  {
    name: 'a failing scrape and a node never covered, now',
    id: 'falco.health.blind_nodes',
    params: {},
    series: blindNow,
    expected: [out({ node: 'node-b' }, 1), out({ node: 'node-c' }, 1)],
  },
  {
    name: 'a covered node asked',
    id: 'falco.health.blind_nodes',
    params: { node: 'node-a' },
    series: blindNow,
    expected: [],
  },
  {
    name: 'a hostile node name and cluster are matched exactly',
    id: 'falco.health.blind_nodes',
    params: { cluster: CLUSTER, node: NODE },
    series: hostile,
    expected: [out({ cluster: CLUSTER, node: NODE }, 1)],
  },
  {
    name: 'back within the window after a 1-minute gap: not blind',
    id: 'falco.health.blind_nodes',
    params: {},
    series: [
      s('falcosecurity_evt_hostname_info', { ...A, hostname: 'node-a' }, '1x8 stale'),
      s('falcosecurity_evt_hostname_info', { instance: '10.0.0.11:8765', hostname: 'node-a' }, '_x10 1x70'),
      ...nodes.slice(0, 1),
    ],
    expected: [],
  },
  {
    name: 'per node',
    id: 'falco.health.kernel_drops',
    params: { interval: i },
    series,
    expected: [out({ hostname: 'node-a' }, 1), out({ hostname: 'node-b' }, 0)],
  },
  {
    name: 'one node',
    id: 'falco.health.kernel_drops',
    params: { interval: i, node: 'node-a' },
    series,
    expected: [out({ hostname: 'node-a' }, 1)],
  },
  {
    name: 'node-a of two clusters stays two nodes',
    id: 'falco.health.kernel_drops',
    params: { interval: i },
    series: twoClusters,
    expected: [out({ cluster: 'prod', hostname: 'node-a' }, 1), out({ cluster: 'staging', hostname: 'node-a' }, 0)],
  },
  {
    name: 'node-a of two clusters, one cluster asked',
    id: 'falco.health.kernel_drops',
    params: { interval: i, cluster: 'staging' },
    series: twoClusters,
    expected: [out({ cluster: 'staging', hostname: 'node-a' }, 0)],
  },
  {
    name: 'per node',
    id: 'falco.health.queue_drops',
    params: { interval: i },
    series,
    expected: [out({ hostname: 'node-a' }, 0), out({ hostname: 'node-b' }, 2)],
  },
  {
    name: 'one node',
    id: 'falco.health.queue_drops',
    params: { interval: i, node: 'node-b' },
    series,
    expected: [out({ hostname: 'node-b' }, 2)],
  },
  {
    name: 'node-c has no Falco',
    id: 'falco.health.nodes_without_falco',
    params: { interval: '5m' },
    series,
    expected: [out({ node: 'node-c' }, 1)],
  },
  {
    name: 'asking about a covered node',
    id: 'falco.health.nodes_without_falco',
    params: { node: 'node-a', interval: '5m' },
    series,
    expected: [],
  },
  {
    name: 'one node missing',
    id: 'falco.health.nodes_missing',
    params: { interval: '5m' },
    series,
    expected: [out({}, 1)],
  },
  {
    name: 'every node covered is 0, not empty',
    id: 'falco.health.nodes_missing',
    params: { interval: '5m' },
    series: covered,
    expected: [out({}, 0)],
  },
  {
    name: 'every reporting node',
    id: 'falco.health.up_by_node',
    params: { interval: '5m' },
    series: covered,
    expected: [out({ hostname: 'node-a' }, 1), out({ hostname: 'node-b' }, 1)],
  },
  {
    name: 'a node Kubernetes lists without Falco is 0',
    id: 'falco.health.up_by_node',
    params: { interval: '5m' },
    series,
    expected: [out({ hostname: 'node-a' }, 1), out({ hostname: 'node-b' }, 1), out({ hostname: 'node-c' }, 0)],
  },
  {
    name: 'the worst of the range: node-b was down 20 minutes ago, back now',
    id: 'falco.health.up_by_node',
    params: { interval: '1h' },
    series: flapping,
    evalTime: '60m',
    expected: [out({ hostname: 'node-a' }, 1), out({ hostname: 'node-b' }, 0)],
  },
  {
    name: 'the worst of the range: node-b counts as without Falco',
    id: 'falco.health.nodes_without_falco',
    params: { interval: '1h' },
    series: flapping,
    evalTime: '60m',
    expected: [out({ node: 'node-b' }, 1)],
  },
  {
    name: 'the worst of the range: one node was missing',
    id: 'falco.health.nodes_missing',
    params: { interval: '1h' },
    series: flapping,
    evalTime: '60m',
    expected: [out({}, 1)],
  },
  {
    name: 'outside the range it is forgotten',
    id: 'falco.health.nodes_missing',
    params: { interval: '10m' },
    series: flapping,
    evalTime: '60m',
    expected: [out({}, 0)],
  },
  {
    name: 'node-a of two clusters stays two nodes',
    id: 'falco.health.up_by_node',
    params: { interval: '5m' },
    series: twoClusters,
    expected: [out({ cluster: 'prod', hostname: 'node-a' }, 1), out({ cluster: 'staging', hostname: 'node-a' }, 1)],
  },
  {
    name: 'one node',
    id: 'falco.health.up_by_node',
    params: { node: 'node-b', interval: '5m' },
    series,
    expected: [out({ hostname: 'node-b' }, 1)],
  },
  {
    name: 'two versions',
    id: 'falco.health.versions',
    params: {},
    series,
    expected: [out({ version: '0.41.0' }, 1), out({ version: '0.42.0' }, 1)],
  },
  {
    name: 'one file changed once',
    id: 'falco.health.rules_file_changes',
    params: { interval: '10m' },
    series,
    expected: [out({ file_name: 'falco_rules.yaml' }, 1), out({ file_name: 'custom.yaml' }, 0)],
  },
];
