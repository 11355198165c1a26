import { FALCO_PRIORITIES } from '../queries/types';

// How a table panel shows its columns; the app's scenes and the generated dashboards both read it.

// Table headers in the user's words: Prometheus label names (rule_name, k8s_ns_name) are not.
export const COLUMN_TITLES: Record<string, string> = {
  rule_name: 'Rule',
  rule: 'Rule',
  policy_name: 'Policy',
  priority: 'Priority',
  priority_raw: 'Priority',
  source: 'Source',
  tag: 'Tag',
  tactic: 'Tactic',
  hostname: 'Node',
  node: 'Node',
  instance: 'Instance',
  namespace: 'Namespace',
  k8s_ns_name: 'Namespace',
  pod: 'Pod',
  k8s_pod_name: 'Pod',
  container: 'Container',
  version: 'Version',
  file_name: 'Rules file',
  severity: 'Severity',
  nodename: 'Node',
  image: 'Image',
  host_network: 'Host network',
  created_by_kind: 'Owner kind',
  created_by_name: 'Owner',
  service_account: 'Service account',
};

// Falco's own `priority` label is a number, 0 = Emergency ... 7 = Debug (falcosidekick's names are in priority_raw,
// which tables use instead): a table shows the name, as the priority legends do.
export const PRIORITY_COLUMN = 'priority';
export const PRIORITY_NAMES = [
  {
    type: 'value' as const,
    options: Object.fromEntries(
      FALCO_PRIORITIES.map((name, i) => [String(i), { text: name[0].toUpperCase() + name.slice(1), index: i }])
    ),
  },
];

// Grafana's organize transformation: no Time column (an instant query's timestamp says nothing), headers renamed.
export const TABLE_COLUMNS = {
  id: 'organize',
  options: { excludeByName: { Time: true }, renameByName: COLUMN_TITLES },
};
