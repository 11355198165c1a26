import { WHOLE_RANGE } from '../eventCounts';
import { labelMatcher, selector } from '../labels';
import { rangeOf, topNOf } from '../params';
import type { QueryEntry, QueryParams } from '../types';
import { POD_PACKETS_RECORD } from './records';
import { podRateDefinition, podRateRecord, rawPodRate, recordedPodRate } from './podRateRecords';
import { cadvisorPods, POD, recorded } from './workloadSelectors';

// Node TCP behaviour (node_exporter netstat/conntrack) and pod traffic (cAdvisor): scans, floods, exfiltration.

const NODE_PARAMS: QueryEntry['params'] = ['cluster', 'node', 'interval'];
const POD_PARAMS: QueryEntry['params'] = ['cluster', 'namespace', 'pod', 'interval'];

// node_exporter's instance is its scrape address (ip:9100); node_uname_info carries the node's name as nodename, so
// node series are joined to it on the scrape target and named by node. The node filter applies to that name.
const nodeSelector = (metric: string, p: QueryParams) => selector(metric, [labelMatcher('cluster', p.cluster)]);
const unameSelector = (p: QueryParams) =>
  selector('node_uname_info', [labelMatcher('cluster', p.cluster), labelMatcher('nodename', p.node)]);
const byNodeName = (expr: string, p: QueryParams) =>
  `sum by (cluster, nodename) (${expr} * on (cluster, instance) group_left (nodename) ${unameSelector(p)})`;
const nodeRate = (metric: string, p: QueryParams) =>
  byNodeName(`sum by (cluster, instance) (rate(${nodeSelector(metric, p)}[${rangeOf(p)}]))`, p);
const podRate = (metric: string, p: QueryParams) => `sum by (${POD}) (rate(${cadvisorPods(metric, p)}[${rangeOf(p)}]))`;

function nodeEntry(id: string, metric: string, title: string, description: string): QueryEntry {
  return {
    id,
    title,
    description,
    category: 'network',
    params: NODE_PARAMS,
    unit: 'ops',
    visualization: 'timeseries',
    legend: '{{nodename}}',
    exporters: () => ['node-exporter'],
    related: ['network.node.tcp_active_opens', 'network.node.tcp_resets_sent', 'network.node.syn_retransmits'].filter(
      (r) => r !== id
    ),
    build: (p) => nodeRate(metric, p),
  };
}

// A per-pod traffic panel reads its record (podRateRecords.ts); its raw form is the fallback.
function podEntry(id: string, metric: string, title: string, unit: string, description: string): QueryEntry[] {
  const r = podRateRecord(metric, id);
  const rate = (p: QueryParams) => podRate(metric, p);
  return [
    {
      id,
      title,
      description: `${description} Pod-level: cAdvisor measures the pod's network namespace, not single containers. With topN, only the pods that moved the most in the range. From the recording rule ${r.record} (a 5m rate).`,
      category: 'network',
      params: [...POD_PARAMS, 'topN'],
      unit,
      visualization: 'timeseries',
      legend: '{{namespace}}/{{pod}}',
      exporters: () => ['cadvisor', 'recording-rules'],
      related: ['network.pod.top_packets', 'network.pod.receive_packets', 'network.pod.transmit_bytes'].filter(
        (x) => x !== id
      ),
      recordingRule: r.record,
      build: (p) => recordedPodRate(r.record, p),
      fallback: (p) => rawPodRate((q) => cadvisorPods(metric, q), p),
    },
    { ...podRateDefinition(r, title, unit, rate), related: [id] },
  ];
}

// The records of the per-pod traffic panels, for the rule file.
export const POD_NETWORK_RECORDS = [
  'container_network_receive_packets_total',
  'container_network_transmit_packets_total',
  'container_network_receive_bytes_total',
  'container_network_transmit_bytes_total',
].map((metric) =>
  podRateRecord(metric, `network.pod.${metric.replace(/^container_network_/, '').replace(/_total$/, '')}`)
);

export const networkQueries: QueryEntry[] = [
  nodeEntry(
    'network.node.tcp_active_opens',
    'node_netstat_Tcp_ActiveOpens',
    'Outbound TCP connections opened',
    'TCP connections per second each node opened (node_netstat_Tcp_ActiveOpens): a spike can be a scan or a worm spreading.'
  ),
  nodeEntry(
    'network.node.tcp_resets_sent',
    'node_netstat_Tcp_OutRsts',
    'TCP resets sent',
    'TCP resets per second each node sent (node_netstat_Tcp_OutRsts): many mean something probes closed ports on it.'
  ),
  nodeEntry(
    'network.node.syn_retransmits',
    'node_netstat_TcpExt_TCPSynRetrans',
    'SYN retransmits',
    'SYN retransmissions per second (node_netstat_TcpExt_TCPSynRetrans): connections to hosts that do not answer, typical of scans.'
  ),
  nodeEntry(
    'network.node.listen_drops',
    'node_netstat_TcpExt_ListenDrops',
    'Listen queue drops',
    'Incoming connections per second dropped at a full listen queue (node_netstat_TcpExt_ListenDrops): a SYN flood or overload.'
  ),
  {
    id: 'network.node.conntrack_usage',
    title: 'Conntrack table use',
    description:
      'Connection-tracking entries as a fraction of the table limit per node (node_nf_conntrack_entries / ' +
      'node_nf_conntrack_entries_limit): a full table drops new connections, a flood fills it.',
    category: 'network',
    params: ['cluster', 'node'],
    unit: 'percentunit',
    visualization: 'timeseries',
    legend: '{{nodename}}',
    exporters: () => ['node-exporter'],
    related: ['network.node.tcp_active_opens', 'network.node.listen_drops'],
    // Entries and limit come from the same scrape with the same labels, so they divide one to one without a sum by
    // target first; each operation is paid at every step (at 50,000 series three instead of five: 165 ms, not 216).
    build: (p) =>
      `max by (cluster, nodename) ((${nodeSelector('node_nf_conntrack_entries', p)} / ` +
      `${nodeSelector('node_nf_conntrack_entries_limit', p)}) * on (cluster, instance) group_left (nodename) ${unameSelector(p)})`,
  },
  ...podEntry(
    'network.pod.receive_packets',
    'container_network_receive_packets_total',
    'Packets received by pod',
    'pps',
    'Packets per second each pod received.'
  ),
  ...podEntry(
    'network.pod.transmit_packets',
    'container_network_transmit_packets_total',
    'Packets sent by pod',
    'pps',
    'Packets per second each pod sent: a flood or a scan from a compromised pod.'
  ),
  ...podEntry(
    'network.pod.receive_bytes',
    'container_network_receive_bytes_total',
    'Bytes received by pod',
    'Bps',
    'Bytes per second each pod received.'
  ),
  ...podEntry(
    'network.pod.transmit_bytes',
    'container_network_transmit_bytes_total',
    'Bytes sent by pod',
    'Bps',
    'Bytes per second each pod sent: sustained unusual egress can be data exfiltration.'
  ),
  {
    id: 'network.pod.top_packets',
    title: 'Top pods by packets',
    description:
      'The pods with the highest packet rate, received plus sent (cAdvisor, pod-level, 5m rate), at any time in the ' +
      `range (the dashboard time range by default), from the recording rule ${POD_PACKETS_RECORD}.`,
    category: 'network',
    params: ['cluster', 'namespace', 'interval', 'topN'],
    unit: 'pps',
    visualization: 'table',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['recording-rules', 'cadvisor'],
    related: ['network.pod.receive_packets', 'network.pod.transmit_packets', 'network.pod.packets.definition'],
    recordingRule: POD_PACKETS_RECORD,
    build: (p) =>
      `topk(${topNOf(p)}, max by (${POD}) (max_over_time(${recorded(POD_PACKETS_RECORD, { ...p, pod: undefined })}[${rangeOf(p, WHOLE_RANGE)}])) > 0)`,
  },
  {
    id: 'network.pod.packets.definition',
    title: 'Packets by pod, received plus sent (recording rule definition)',
    description:
      'How the packet total is computed: packets per second each pod received plus those it sent (cAdvisor, ' +
      'pod-level), summed over interfaces; a pod with only one direction exported still counts that one. ' +
      `Recorded as ${POD_PACKETS_RECORD} with a 5m rate.`,
    category: 'network',
    params: POD_PARAMS,
    unit: 'pps',
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['cadvisor'],
    related: ['network.pod.top_packets'],
    recordingRule: POD_PACKETS_RECORD,
    // Summed over both directions with `or`, each labelled apart first: `rx + tx` drops a pod missing either side.
    build: (p) =>
      `sum by (${POD}) (label_replace(${podRate('container_network_receive_packets_total', p)}, "direction", "receive", "", "") or ` +
      `label_replace(${podRate('container_network_transmit_packets_total', p)}, "direction", "transmit", "", ""))`,
  },
];
