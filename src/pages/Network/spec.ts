import type { PageSpec } from '../../scenes/spec';

// A port scan (the lab's nmap case) shows as resets and SYN retransmits on the node and a packet burst from one pod.
export const networkSpec: PageSpec = {
  id: 'network',
  title: 'Network',
  description: 'TCP opens, resets, SYN retransmits, listen drops and conntrack per node; packets and bytes per pod',
  variables: ['datasource', 'cluster', 'namespace', 'pod'],
  rows: [
    {
      title: 'Nodes',
      panels: [
        { title: 'TCP active opens', queryId: 'network.node.tcp_active_opens', width: 8, height: 7 },
        { title: 'TCP resets sent', queryId: 'network.node.tcp_resets_sent', width: 8, height: 7 },
        { title: 'SYN retransmits', queryId: 'network.node.syn_retransmits', width: 8, height: 7 },
        { title: 'Listen drops', queryId: 'network.node.listen_drops', width: 12, height: 7 },
        { title: 'Conntrack table use', queryId: 'network.node.conntrack_usage', width: 12, height: 7 },
      ],
    },
    {
      title: 'Pods',
      panels: [
        {
          title: 'Top pods by packets',
          queryId: 'network.pod.top_packets',
          params: { topN: 10 },
          visualization: 'table',
          width: 24,
          height: 8,
          drilldown: 'pod',
        },
        { title: 'Received packets', queryId: 'network.pod.receive_packets', width: 12, height: 8, drilldown: 'pod' },
        {
          title: 'Transmitted packets',
          queryId: 'network.pod.transmit_packets',
          width: 12,
          height: 8,
          drilldown: 'pod',
        },
        { title: 'Received bytes', queryId: 'network.pod.receive_bytes', width: 12, height: 8, drilldown: 'pod' },
        { title: 'Transmitted bytes', queryId: 'network.pod.transmit_bytes', width: 12, height: 8, drilldown: 'pod' },
      ],
    },
  ],
};
