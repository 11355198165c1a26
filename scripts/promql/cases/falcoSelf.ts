import { counter, gauge, NODE, out, type QueryCase, s } from './shared';

// Falco's own resource and kernel-event metrics as Falco >= 0.39 exports them (falco.org/docs/concepts/metrics): no
// node label, the scrape target's instance; falcosecurity_evt_hostname_info names the node. Buffer drops carry the
// syscall family (drop) and direction (dir); the other drop kinds are plain counters.
const A = { instance: '10.0.0.1:8765', job: 'falco-metrics' };
const B = { instance: '10.0.0.2:8765', job: 'falco-metrics' };

const series = [
  s('falcosecurity_evt_hostname_info', { ...A, hostname: NODE }, gauge(1)),
  s('falcosecurity_evt_hostname_info', { ...B, hostname: 'node-b' }, gauge(1)),
  s('falcosecurity_falco_cpu_usage_ratio', A, gauge(0.02)),
  s('falcosecurity_falco_cpu_usage_ratio', B, gauge(0.25)),
  s('falcosecurity_falco_memory_rss_bytes', A, gauge(110e6)),
  s('falcosecurity_falco_memory_rss_bytes', B, gauge(90e6)),
  s('falcosecurity_scap_n_evts_total', A, counter(600)),
  s('falcosecurity_scap_n_evts_total', B, counter(1200)),
  s('falcosecurity_scap_n_drops_buffer_total', { ...A, dir: 'enter', drop: 'clone_fork' }, counter(120)),
  s('falcosecurity_scap_n_drops_buffer_total', { ...B, dir: 'enter', drop: 'clone_fork' }, counter(60)),
  s('falcosecurity_scap_n_drops_buffer_total', { ...A, dir: 'exit', drop: 'execve' }, counter(30)),
  s('falcosecurity_scap_n_drops_scratch_map_total', B, counter(60)),
];
const i = '5m';

export const falcoSelfCases: QueryCase[] = [
  {
    name: 'per node, named by hostname',
    id: 'falco.health.cpu',
    params: {},
    series,
    expected: [out({ hostname: NODE }, 0.02), out({ hostname: 'node-b' }, 0.25)],
  },
  {
    name: 'hostile node name',
    id: 'falco.health.cpu',
    params: { node: NODE },
    series,
    expected: [out({ hostname: NODE }, 0.02)],
  },
  {
    name: 'per node',
    id: 'falco.health.memory',
    params: { node: 'node-b' },
    series,
    expected: [out({ hostname: 'node-b' }, 90e6)],
  },
  {
    name: 'syscall events per second per node',
    id: 'falco.health.event_rate',
    params: { interval: i },
    series,
    expected: [out({ hostname: NODE }, 10), out({ hostname: 'node-b' }, 20)],
  },
  {
    name: 'one node',
    id: 'falco.health.event_rate',
    params: { interval: i, node: NODE },
    series,
    expected: [out({ hostname: NODE }, 10)],
  },
  {
    name: 'buffer drops by syscall family and direction, nodes summed; other kinds by name',
    id: 'falco.health.drops_by_type',
    params: { interval: i },
    series,
    expected: [
      out({ drop: 'buffer clone_fork', dir: 'enter' }, 3),
      out({ drop: 'buffer execve', dir: 'exit' }, 0.5),
      out({ drop: 'scratch_map' }, 1),
    ],
  },
];
