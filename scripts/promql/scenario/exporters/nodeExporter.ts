// node_exporter on every node: /proc/net/netstat and snmp counters (exposed untyped), conntrack, CPU, memory and
// interfaces. The nmap scan shows on the scanner's node as a burst of active opens, resets and SYN retransmits.
import { ATTACKS } from '../attacks';
import { Node, NODES, PODS } from '../cluster';
import { Family, Labels, MetricType, Series } from '../openmetrics';
import { seededRandom } from '../random';
import { inside, SCRAPE_INTERVAL, scrapeTimes } from '../timeline';
import { constant, counter, dailyLoad, gauge } from '../values';

const times = scrapeTimes(SCRAPE_INTERVAL, 23);

export function nodeExporterTarget(node: Node): Labels {
  const pod = PODS.find((p) => p.ownerName === 'kube-prometheus-stack-prometheus-node-exporter' && p.node === node)!;
  return {
    container: 'node-exporter',
    endpoint: 'http-metrics',
    instance: `${node.ip}:9100`,
    job: 'node-exporter',
    namespace: 'monitoring',
    pod: pod.name,
    service: 'kube-prometheus-stack-prometheus-node-exporter',
  };
}

const scanning = (node: Node, t: number) => node.name === ATTACKS.nmapScan.node && inside(ATTACKS.nmapScan.window, t);
const scanned = (node: Node, t: number) => node.name !== ATTACKS.nmapScan.node && inside(ATTACKS.nmapScan.window, t);

// Per-second rates in quiet times, and what the scan adds on the scanner's node and on the nodes it probes.
const NETSTAT: Array<[string, number, number, number]> = [
  ['Tcp_ActiveOpens', 18, 3000, 2],
  ['Tcp_PassiveOpens', 25, 0, 40],
  ['Tcp_OutRsts', 2, 2600, 150],
  ['Tcp_RetransSegs', 1.5, 500, 5],
  ['Tcp_InErrs', 0.01, 0, 0],
  ['Tcp_AttemptFails', 0.5, 2500, 0],
  ['Tcp_EstabResets', 0.3, 20, 5],
  ['Tcp_InSegs', 3000, 5200, 3000],
  ['Tcp_OutSegs', 2900, 9000, 3000],
  ['TcpExt_TCPSynRetrans', 0.1, 420, 0],
  ['TcpExt_ListenDrops', 0.001, 0, 0],
  ['TcpExt_ListenOverflows', 0.001, 0, 0],
  ['TcpExt_SyncookiesSent', 0, 0, 0],
  ['TcpExt_TCPTimeouts', 0.2, 300, 0],
  ['Udp_InDatagrams', 400, 0, 0],
  ['Udp_OutDatagrams', 390, 0, 0],
  ['Udp_InErrors', 0, 0, 0],
  ['Ip_Forwarding', -1, 0, 0], // a setting, not a counter
];

function netstatFamily([field, quiet, scanner, probed]: (typeof NETSTAT)[number]): Family {
  const name = `node_netstat_${field}`;
  return {
    name,
    type: 'unknown', // node_exporter exposes netstat fields untyped
    help: `Statistic ${field.replace('_', '')}.`,
    series: perNode((node) => {
      const random = seededRandom(`${name}/${node.name}`);
      const values =
        quiet < 0
          ? constant(times, 1)
          : counter(
              times,
              random,
              (t) => quiet * dailyLoad(t) + (scanning(node, t) ? scanner : 0) + (scanned(node, t) ? probed : 0),
              { integer: true, start: 1e5 }
            );
      return { labels: nodeExporterTarget(node), times, values };
    }),
  };
}

function* perNode(make: (node: Node) => Series | Series[]): Generator<Series> {
  for (const node of NODES) {
    const made = make(node);
    yield* Array.isArray(made) ? made : [made];
  }
}

const CPU_MODES: Array<[string, number]> = [
  ['idle', 0.7],
  ['user', 0.18],
  ['system', 0.07],
  ['iowait', 0.01],
  ['irq', 0.001],
  ['softirq', 0.01],
  ['steal', 0.005],
  ['nice', 0.0],
];
const DEVICES = ['eth0', 'eth1', 'lo'];
const MOUNTS: Array<[string, string, string, number]> = [
  ['/dev/nvme0n1p1', 'xfs', '/', 80e9],
  ['tmpfs', 'tmpfs', '/run', 8e9],
  ['/dev/nvme1n1', 'ext4', '/var/lib/containerd', 200e9],
];

function simple(
  name: string,
  type: MetricType,
  help: string,
  make: (node: Node, random: () => number) => Float64Array,
  extra: Labels = {}
): Family {
  return {
    name,
    type,
    help,
    series: perNode((node) => ({
      labels: { ...nodeExporterTarget(node), ...extra },
      times,
      values: make(node, seededRandom(`${name}/${node.name}`)),
    })),
  };
}

export function nodeExporterFamilies(): Family[] {
  return [
    ...NETSTAT.map(netstatFamily),
    simple(
      'node_nf_conntrack_entries',
      'gauge',
      'Number of currently allocated flow entries for connection tracking.',
      (node, random) => gauge(times, random, (t) => 3500 * dailyLoad(t) + (scanning(node, t) ? 95000 : 0), 0.03)
    ),
    simple('node_nf_conntrack_entries_limit', 'gauge', 'Maximum size of connection tracking table.', () =>
      constant(times, 131072)
    ),
    simple('node_sockstat_TCP_inuse', 'gauge', 'Number of TCP sockets in state inuse.', (node, random) =>
      gauge(times, random, (t) => 220 * dailyLoad(t) + (scanning(node, t) ? 900 : 0))
    ),
    simple('node_sockstat_TCP_tw', 'gauge', 'Number of TCP sockets in state tw.', (node, random) =>
      gauge(times, random, (t) => 140 * dailyLoad(t))
    ),
    simple('node_load1', 'gauge', '1m load average.', (node, random) =>
      gauge(times, random, (t) => 0.9 * dailyLoad(t), 0.2)
    ),
    simple('node_memory_MemTotal_bytes', 'gauge', 'Memory information field MemTotal_bytes.', (node) =>
      constant(times, node.memoryBytes)
    ),
    simple('node_memory_MemAvailable_bytes', 'gauge', 'Memory information field MemAvailable_bytes.', (node, random) =>
      gauge(times, random, () => node.memoryBytes * 0.55, 0.03)
    ),
    {
      name: 'node_cpu_seconds_total',
      type: 'counter',
      help: 'Seconds the CPUs spent in each mode.',
      series: perNode((node) =>
        Array.from({ length: node.cpus }, (_, cpu) =>
          CPU_MODES.map(([mode, share]) => ({
            labels: { ...nodeExporterTarget(node), cpu: String(cpu), mode },
            times,
            values: counter(times, seededRandom(`cpu/${node.name}/${cpu}/${mode}`), () => share, {
              start: 8e5 * share,
            }),
          }))
        ).flat()
      ),
    },
    ...['receive_bytes', 'transmit_bytes', 'receive_packets', 'transmit_packets', 'receive_drop', 'transmit_drop'].map(
      (field): Family => ({
        name: `node_network_${field}_total`,
        type: 'counter',
        help: `Network device statistic ${field}.`,
        series: perNode((node) =>
          DEVICES.map((device) => ({
            labels: { ...nodeExporterTarget(node), device },
            times,
            values: counter(
              times,
              seededRandom(`${field}/${node.name}/${device}`),
              (t) =>
                field.endsWith('drop')
                  ? 0.01
                  : (field.endsWith('bytes') ? 9e5 : 1500) * dailyLoad(t) * (scanning(node, t) ? 4 : 1),
              { integer: true, start: 1e7 }
            ),
          }))
        ),
      })
    ),
    ...(['avail', 'size'] as const).map((field): Family => ({
      name: `node_filesystem_${field}_bytes`,
      type: 'gauge',
      help: `Filesystem ${field} in bytes.`,
      series: perNode((node) =>
        MOUNTS.map(([device, fstype, mountpoint, size]) => ({
          labels: { ...nodeExporterTarget(node), device, fstype, mountpoint },
          times,
          values:
            field === 'size'
              ? constant(times, size)
              : gauge(times, seededRandom(`fs/${node.name}/${mountpoint}`), () => size * 0.6, 0.01),
        }))
      ),
    })),
    {
      name: 'node_uname_info',
      type: 'gauge',
      help: 'Labeled system information as provided by the uname system call.',
      series: perNode((node) => ({
        labels: {
          ...nodeExporterTarget(node),
          machine: 'x86_64',
          nodename: node.name,
          release: '6.1.119-129.201.amzn2023.x86_64',
          sysname: 'Linux',
        },
        times,
        values: constant(times, 1),
      })),
    },
  ];
}
