import { counter, gauge, NODE, NODE_DECOY, NS, NS_DECOY, out, POD, POD_DECOY, type QueryCase, s } from './shared';

// node_exporter series carry their scrape address as instance (ip:9100); node_uname_info names the node (nodename).
// cAdvisor network series are per pod and per interface, with no container to filter on.
const IP = '10.0.0.1:9100';
const IP_DECOY = '10.0.0.2:9100';
const netstat = [
  'node_netstat_Tcp_ActiveOpens',
  'node_netstat_Tcp_OutRsts',
  'node_netstat_TcpExt_TCPSynRetrans',
  'node_netstat_TcpExt_ListenDrops',
];
const nodeIds = [
  'network.node.tcp_active_opens',
  'network.node.tcp_resets_sent',
  'network.node.syn_retransmits',
  'network.node.listen_drops',
];
const podMetrics: Array<[string, string]> = [
  ['network.pod.receive_packets', 'container_network_receive_packets_total'],
  ['network.pod.transmit_packets', 'container_network_transmit_packets_total'],
  ['network.pod.receive_bytes', 'container_network_receive_bytes_total'],
  ['network.pod.transmit_bytes', 'container_network_transmit_bytes_total'],
];

const series = [
  ...netstat.flatMap((m) => [
    s(m, { instance: IP, job: 'node-exporter' }, counter(60)),
    s(m, { instance: IP_DECOY, job: 'node-exporter' }, counter(120)),
  ]),
  s('node_uname_info', { instance: IP, job: 'node-exporter', nodename: NODE, sysname: 'Linux' }, gauge(1)),
  s('node_uname_info', { instance: IP_DECOY, job: 'node-exporter', nodename: NODE_DECOY, sysname: 'Linux' }, gauge(1)),
  s('node_nf_conntrack_entries', { instance: IP }, gauge(500)),
  s('node_nf_conntrack_entries_limit', { instance: IP }, gauge(1000)),
  s('node_nf_conntrack_entries', { instance: IP_DECOY }, gauge(900)),
  s('node_nf_conntrack_entries_limit', { instance: IP_DECOY }, gauge(1000)),
  ...podMetrics.flatMap(([, m]) => [
    s(m, { namespace: NS, pod: POD, interface: 'eth0' }, counter(60)),
    s(m, { namespace: NS, pod: POD, interface: 'eth1' }, counter(60)),
    s(m, { namespace: NS_DECOY, pod: POD, interface: 'eth0' }, counter(120)),
    s(m, { namespace: NS, pod: POD_DECOY, interface: 'eth0' }, counter(30)),
  ]),
];
// The packet record as the recording group writes it: one series per pod.
const PACKETS_RECORD = 'containersec:pod_network_packets:rate5m';
const packetRecords = [
  s(PACKETS_RECORD, { namespace: NS, pod: POD }, gauge(40)),
  s(PACKETS_RECORD, { namespace: NS, pod: POD_DECOY }, gauge(70)),
  s(PACKETS_RECORD, { namespace: NS_DECOY, pod: POD }, gauge(900)),
];
// A scan that ended: the pod peaked at 5000 packets/s for 5 minutes, 20 minutes before the end of the range.
const pastBurst = [...packetRecords, s(PACKETS_RECORD, { namespace: NS, pod: 'scanner' }, '10x50 5000x5 10x25')];
// A pod whose cAdvisor exports only the receive side (and one with only the transmit side).
const oneSided = [
  s('container_network_receive_packets_total', { namespace: NS, pod: 'rx-only', interface: 'eth0' }, counter(60)),
  s('container_network_transmit_packets_total', { namespace: NS, pod: 'tx-only', interface: 'eth0' }, counter(120)),
  s('container_network_receive_packets_total', { namespace: NS, pod: POD, interface: 'eth0' }, counter(60)),
  s('container_network_transmit_packets_total', { namespace: NS, pod: POD, interface: 'eth0' }, counter(60)),
];
const i = '5m';
const pod = (namespace: string, p: string) => ({ namespace, pod: p });

export const networkCases: QueryCase[] = [
  ...nodeIds.flatMap((id): QueryCase[] => [
    {
      name: 'every node, named by node_uname_info',
      id,
      params: { interval: i },
      series,
      expected: [out({ nodename: NODE }, 1), out({ nodename: NODE_DECOY }, 2)],
    },
    { name: 'hostile node', id, params: { interval: i, node: NODE }, series, expected: [out({ nodename: NODE }, 1)] },
  ]),
  {
    name: 'every node',
    id: 'network.node.conntrack_usage',
    params: {},
    series,
    expected: [out({ nodename: NODE }, 0.5), out({ nodename: NODE_DECOY }, 0.9)],
  },
  {
    name: 'hostile node',
    id: 'network.node.conntrack_usage',
    params: { node: NODE },
    series,
    expected: [out({ nodename: NODE }, 0.5)],
  },
  // The per-pod rate records' definitions: the same sums by pod, at the record's 5m rate.
  ...podMetrics.flatMap(([id]): QueryCase[] => [
    {
      name: 'record definition: interfaces summed by pod, hostile namespace and pod',
      id: `${id}.definition`,
      params: { interval: '5m', namespace: NS, pod: POD },
      series,
      expected: [out(pod(NS, POD), 2)],
    },
  ]),
  ...podMetrics.flatMap(([id]): QueryCase[] => [
    {
      name: 'every pod, interfaces summed',
      id,
      params: { interval: i },
      series,
      expected: [out(pod(NS, POD), 2), out(pod(NS_DECOY, POD), 2), out(pod(NS, POD_DECOY), 0.5)],
    },
    {
      name: 'hostile namespace and pod',
      id,
      params: { interval: i, namespace: NS, pod: POD },
      series,
      expected: [out(pod(NS, POD), 2)],
    },
    {
      name: 'topN in a hostile namespace keeps the pod that moved the most',
      id,
      params: { interval: i, namespace: NS, topN: 1 },
      series,
      expected: [out(pod(NS, POD), 2)],
    },
  ]),
  {
    name: 'every pod, received plus sent over interfaces',
    id: 'network.pod.packets.definition',
    params: { interval: i },
    series,
    expected: [out(pod(NS, POD), 4), out(pod(NS_DECOY, POD), 4), out(pod(NS, POD_DECOY), 1)],
  },
  {
    name: 'hostile namespace and pod',
    id: 'network.pod.packets.definition',
    params: { interval: i, namespace: NS, pod: POD },
    series,
    expected: [out(pod(NS, POD), 4)],
  },
  {
    name: 'top 1 in a hostile namespace, from the record',
    id: 'network.pod.top_packets',
    params: { topN: 1, namespace: NS, interval: '10m' },
    series: packetRecords,
    expected: [out(pod(NS, POD_DECOY), 70)],
  },
  {
    name: 'top 2 everywhere, from the record',
    id: 'network.pod.top_packets',
    params: { topN: 2, interval: '10m' },
    series: packetRecords,
    expected: [out(pod(NS_DECOY, POD), 900), out(pod(NS, POD_DECOY), 70)],
  },
  {
    name: 'a burst earlier in the range stays on top after it ended',
    id: 'network.pod.top_packets',
    params: { topN: 1, interval: '1h' },
    series: pastBurst,
    evalTime: '75m',
    expected: [out(pod(NS, 'scanner'), 5000)],
  },
  {
    name: 'a pod with only its receive or only its transmit side is kept',
    id: 'network.pod.packets.definition',
    params: { interval: i, namespace: NS },
    series: oneSided,
    expected: [out(pod(NS, 'rx-only'), 1), out(pod(NS, 'tx-only'), 2), out(pod(NS, POD), 2)],
  },
];
