import { labelMatcher, selector } from '../labels';
import { rangeOf } from '../params';
import type { QueryEntry, QueryParams } from '../types';

// Falco's own footprint and throughput, the panels of the Falco chart's dashboard (charts/falco/dashboards/
// falco-dashboard.json: CPU, Memory RSS, Scap events, Scap Drops by buffer/scratch map/page faults, Versions), here per
// node. Metric names and units as Falco >= 0.39 exports them to Prometheus (falco.org/docs/concepts/metrics):
// falcosecurity_falco_cpu_usage_ratio is the share of one CPU (cpu_usage_perc / 100), memory in bytes.

const NEEDS_RESOURCES =
  'Needs Falco >= 0.39 native metrics (Falco chart metrics.enabled=true) with metrics.resourceUtilizationEnabled=true (the default)';
const NEEDS_KERNEL =
  'Needs Falco >= 0.39 native metrics (Falco chart metrics.enabled=true) with metrics.kernelEventCountersEnabled=true (the default)';

const falcoSelector = (metric: string, p: QueryParams, extra: string[] = []) =>
  selector(metric, [labelMatcher('cluster', p.cluster), ...extra]);

// Falco's metrics carry no node name: the scrape target's falcosecurity_evt_hostname_info names it.
function onFalcoHost(expr: string, p: QueryParams): string {
  const host = selector('falcosecurity_evt_hostname_info', [
    labelMatcher('cluster', p.cluster),
    labelMatcher('hostname', p.node),
  ]);
  return `sum by (cluster, hostname) (${expr} * on (cluster, instance) group_left (hostname) ${host})`;
}

// The kernel-side drop counters besides the total, one series per kind: buffer drops carry the syscall family (drop)
// and direction (dir); Falco exports a counter only once it is non-zero (metrics.includeEmptyValues=false).
const OTHER_DROPS = ['scratch_map', 'page_faults', 'bug'] as const;

function dropsByType(p: QueryParams): string {
  const range = rangeOf(p);
  const buffer = `sum by (cluster, drop, dir) (rate(${falcoSelector('falcosecurity_scap_n_drops_buffer_total', p)}[${range}]))`;
  const others = OTHER_DROPS.map(
    (kind) =>
      `label_replace(sum by (cluster) (rate(${falcoSelector(`falcosecurity_scap_n_drops_${kind}_total`, p)}[${range}])), "drop", "${kind}", "", "")`
  );
  return [`label_replace(${buffer}, "drop", "buffer $1", "drop", "(.+)")`, ...others].join(' or ');
}

export const falcoSelfQueries: QueryEntry[] = [
  {
    id: 'falco.health.cpu',
    title: 'Falco CPU by node',
    description:
      "CPU cores each node's Falco uses (falcosecurity_falco_cpu_usage_ratio, a share of one CPU): a climb means more " +
      `syscalls to inspect or costly rules. ${NEEDS_RESOURCES}.`,
    category: 'falco-health',
    params: ['cluster', 'node'],
    unit: 'suffix:cores',
    visualization: 'timeseries',
    legend: '{{hostname}}',
    exporters: () => ['falco'],
    related: ['falco.health.memory', 'falco.health.event_rate'],
    build: (p) => onFalcoHost(falcoSelector('falcosecurity_falco_cpu_usage_ratio', p), p),
  },
  {
    id: 'falco.health.memory',
    title: 'Falco memory by node',
    description:
      "Resident memory of each node's Falco (falcosecurity_falco_memory_rss_bytes): a steady climb is a leak or a " +
      `growing process table, and the DaemonSet's memory limit OOM-kills Falco at its end. ${NEEDS_RESOURCES}.`,
    category: 'falco-health',
    params: ['cluster', 'node'],
    unit: 'bytes',
    visualization: 'timeseries',
    legend: '{{hostname}}',
    exporters: () => ['falco'],
    related: ['falco.health.cpu'],
    build: (p) => onFalcoHost(falcoSelector('falcosecurity_falco_memory_rss_bytes', p), p),
  },
  {
    id: 'falco.health.event_rate',
    title: 'Kernel events Falco inspects by node',
    description:
      'Syscall events per second the driver hands to each Falco (falcosecurity_scap_n_evts_total): the load behind ' +
      `its CPU and drops; a fall to zero on a busy node means Falco stopped seeing the kernel. ${NEEDS_KERNEL}.`,
    category: 'falco-health',
    params: ['cluster', 'node', 'interval'],
    unit: 'eps',
    visualization: 'timeseries',
    legend: '{{hostname}}',
    exporters: () => ['falco'],
    related: ['falco.health.kernel_drops', 'falco.health.cpu'],
    build: (p) => onFalcoHost(`rate(${falcoSelector('falcosecurity_scap_n_evts_total', p)}[${rangeOf(p)}])`, p),
  },
  {
    id: 'falco.health.drops_by_type',
    title: 'Falco kernel drops by type',
    description:
      'Kernel events dropped per second by kind: full ring buffer per syscall family and direction ' +
      '(falcosecurity_scap_n_drops_buffer_total{drop, dir}: a flood of one kind, e.g. clone_fork during a fork bomb), ' +
      `scratch map, page faults and driver bugs. Which activity Falco missed. ${NEEDS_KERNEL}.`,
    category: 'falco-health',
    params: ['cluster', 'interval'],
    unit: 'eps',
    visualization: 'timeseries',
    legend: '{{drop}} {{dir}}',
    exporters: () => ['falco'],
    related: ['falco.health.kernel_drops', 'falco.health.event_rate'],
    build: dropsByType,
  },
];
