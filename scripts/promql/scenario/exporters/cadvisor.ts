// cAdvisor as the kubelet serves it and kube-prometheus-stack scrapes it (job="kubelet", metrics_path="/metrics/cadvisor"):
// one series per container and one per pod cgroup (container=""), network per pod only. The stack's relabelling drops
// cgroups without a pod; the cgroup path (id) and runtime id (name) labels are left out to keep the file small: no
// query groups by them.
import { ATTACKS, INCIDENTS } from '../attacks';
import { Container, Pod, PODS } from '../cluster';
import { Family, Labels, Series } from '../openmetrics';
import { seededRandom } from '../random';
import { inside, SCRAPE_INTERVAL, scrapeTimes } from '../timeline';
import { constant, counter, dailyLoad, gauge } from '../values';

const times = scrapeTimes(SCRAPE_INTERVAL, 11);
const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';
const MiB = 1024 ** 2;

export function kubeletTarget(pod: { node: { name: string; ip: string } }): Labels {
  return {
    endpoint: 'https-metrics',
    instance: `${pod.node.ip}:10250`,
    job: 'kubelet',
    metrics_path: '/metrics/cadvisor',
    node: pod.node.name,
    service: 'kube-prometheus-stack-kubelet',
  };
}

function containerLabels(pod: Pod, ct: Container): Labels {
  return { ...kubeletTarget(pod), container: ct.name, image: ct.image, namespace: pod.namespace, pod: pod.name };
}

function podLabels(pod: Pod): Labels {
  return { ...kubeletTarget(pod), container: '', image: '', namespace: pod.namespace, pod: pod.name };
}

const exists = (pod: Pod) => (t: number) => pod.createdAt === undefined || t >= pod.createdAt;
const orAbsent = (pod: Pod, f: (t: number) => number) => (t: number) => (exists(pod)(t) ? f(t) : NaN);

// CPU cores a container uses at t, including the attacks and incidents that change it.
function cpuCores(pod: Pod, ct: Container, t: number): number {
  if (pod === ATTACKS.cpuBurn.pod && inside(ATTACKS.cpuBurn.window, t)) {
    return (ct.cpuLimitCores ?? 1) * 0.995; // openssl speed in a loop: pinned at the CFS quota
  }
  if (pod === INCIDENTS.buildAgentCrashLoop.pod && inside(INCIDENTS.buildAgentCrashLoop, t)) {
    return ct.cpuCores * 0.3;
  }
  return ct.cpuCores * dailyLoad(t);
}

function memoryBytes(pod: Pod, ct: Container, t: number): number {
  const oom = INCIDENTS.fraudWorkerOom;
  if (pod === oom.pod && inside(oom, t) && ct.memoryLimitBytes) {
    const progress = (t - oom.start) / (oom.end - oom.start);
    return ct.memoryBytes + (ct.memoryLimitBytes * 0.99 - ct.memoryBytes) * progress; // a leak until the OOM kill
  }
  return ct.memoryBytes * (0.95 + 0.1 * dailyLoad(t) - 0.1);
}

function throttledShare(pod: Pod, ct: Container, t: number): number {
  if (!ct.cpuLimitCores) {
    return 0;
  }
  return Math.min(1, Math.max(0, cpuCores(pod, ct, t) / ct.cpuLimitCores - 0.6) * 2.2);
}

function* containerSeries(name: string): Generator<Series> {
  for (const pod of PODS) {
    for (const ct of pod.containers) {
      const random = seededRandom(`${name}/${pod.namespace}/${pod.name}/${ct.name}`);
      const labels = containerLabels(pod, ct);
      const values = containerValues(name, pod, ct, random);
      if (values) {
        yield { labels, times, values };
      }
    }
  }
}

function containerValues(name: string, pod: Pod, ct: Container, random: () => number): Float64Array | undefined {
  const present = exists(pod);
  const oomAt = INCIDENTS.fraudWorkerOom.end;
  switch (name) {
    case 'container_cpu_usage_seconds_total':
      return counter(
        times,
        random,
        orAbsent(pod, (t) => cpuCores(pod, ct, t)),
        { start: present(times[0]) ? 5000 * ct.cpuCores : 0 }
      );
    case 'container_cpu_cfs_periods_total':
      return ct.cpuLimitCores
        ? counter(
            times,
            random,
            orAbsent(pod, () => 10),
            { integer: true }
          )
        : undefined;
    case 'container_cpu_cfs_throttled_periods_total':
      return ct.cpuLimitCores
        ? counter(
            times,
            random,
            orAbsent(pod, (t) => 10 * throttledShare(pod, ct, t)),
            { integer: true }
          )
        : undefined;
    case 'container_memory_working_set_bytes':
      return gauge(
        times,
        random,
        orAbsent(pod, (t) => memoryBytes(pod, ct, t)),
        0.02
      );
    case 'container_memory_rss':
      return gauge(
        times,
        random,
        orAbsent(pod, (t) => memoryBytes(pod, ct, t) * 0.8),
        0.02
      );
    case 'container_memory_cache':
      return gauge(
        times,
        random,
        orAbsent(pod, () => ct.memoryBytes * 0.3 + 4 * MiB),
        0.1
      );
    case 'container_spec_cpu_quota':
      return ct.cpuLimitCores ? constant(times, ct.cpuLimitCores * 100000, present) : undefined;
    case 'container_spec_cpu_period':
      return constant(times, 100000, present);
    case 'container_spec_memory_limit_bytes':
      return constant(times, ct.memoryLimitBytes ?? 0, present);
    case 'container_processes':
      return gauge(
        times,
        random,
        orAbsent(
          pod,
          (t) =>
            1 +
            (pod === ATTACKS.cpuBurn.pod && inside(ATTACKS.cpuBurn.window, t) ? 2 : 0) +
            (pod === ATTACKS.shellInNginx.pod && inside(ATTACKS.shellInNginx.window, t) ? 2 : 0)
        ),
        0
      );
    case 'container_threads':
      return gauge(
        times,
        random,
        orAbsent(pod, () => Math.round(4 + ct.memoryBytes / (40 * MiB))),
        0
      );
    case 'container_oom_events_total':
      return counter(
        times,
        random,
        orAbsent(pod, (t) =>
          pod === INCIDENTS.fraudWorkerOom.pod && t >= oomAt && t < oomAt + SCRAPE_INTERVAL ? 1 / SCRAPE_INTERVAL : 0
        ),
        { integer: false, start: 0 }
      ).map(Math.round);
    default:
      throw new Error(`cadvisor: no model for ${name}`);
  }
}

// The pod cgroup (container="") repeats what the containers use: a query that
// forgets container!="" counts everything twice.
function* aggregateSeries(
  name: 'container_cpu_usage_seconds_total' | 'container_memory_working_set_bytes'
): Generator<Series> {
  for (const pod of PODS) {
    const random = seededRandom(`${name}/${pod.namespace}/${pod.name}`);
    const perContainer = (t: number) =>
      pod.containers.reduce(
        (sum, ct) =>
          sum + (name === 'container_cpu_usage_seconds_total' ? cpuCores(pod, ct, t) : memoryBytes(pod, ct, t)),
        0
      );
    const values =
      name === 'container_cpu_usage_seconds_total'
        ? counter(times, random, orAbsent(pod, perContainer), { start: 1000 })
        : gauge(times, random, orAbsent(pod, perContainer), 0.02);
    yield { labels: podLabels(pod), times, values };
  }
}

function packetsPerSecond(pod: Pod, direction: 'receive' | 'transmit', t: number): number {
  if (pod === ATTACKS.nmapScan.pod && inside(ATTACKS.nmapScan.window, t)) {
    return direction === 'transmit' ? 9000 : 5200; // SYNs out, RSTs and SYN-ACKs back
  }
  return pod.packetsPerSecond * dailyLoad(t) * (direction === 'transmit' ? 0.9 : 1);
}

function* networkSeries(name: string): Generator<Series> {
  const direction = name.includes('receive') ? 'receive' : 'transmit';
  for (const pod of PODS.filter((p) => !p.hostNetwork)) {
    const random = seededRandom(`${name}/${pod.namespace}/${pod.name}`);
    const labels: Labels = { ...podLabels(pod), image: PAUSE_IMAGE, interface: 'eth0' };
    const pps = (t: number) => packetsPerSecond(pod, direction, t);
    let rate: (t: number) => number;
    if (name.endsWith('_packets_total')) {
      rate = pps;
    } else if (name.endsWith('_bytes_total')) {
      rate = (t) => pps(t) * (pod === ATTACKS.nmapScan.pod && inside(ATTACKS.nmapScan.window, t) ? 60 : 700);
    } else {
      rate = (t) => pps(t) * 0.0001; // drops and errors: rare
    }
    yield { labels, times, values: counter(times, random, orAbsent(pod, rate), { integer: true, start: 1e6 }) };
  }
}

const CONTAINER_FAMILIES: Array<[string, Family['type'], string]> = [
  ['container_cpu_cfs_periods_total', 'counter', 'Number of elapsed enforcement period intervals.'],
  ['container_cpu_cfs_throttled_periods_total', 'counter', 'Number of throttled period intervals.'],
  ['container_memory_rss', 'gauge', 'Size of RSS in bytes.'],
  ['container_memory_cache', 'gauge', 'Number of bytes of page cache memory.'],
  ['container_spec_cpu_quota', 'gauge', 'CPU quota of the container.'],
  ['container_spec_cpu_period', 'gauge', 'CPU period of the container.'],
  ['container_spec_memory_limit_bytes', 'gauge', 'Memory limit for the container.'],
  ['container_processes', 'gauge', 'Number of processes running inside the container.'],
  ['container_threads', 'gauge', 'Number of threads running inside the container'],
  ['container_oom_events_total', 'counter', 'Count of out of memory events observed for the container'],
];

const NETWORK_FAMILIES = [
  'receive_bytes',
  'transmit_bytes',
  'receive_packets',
  'transmit_packets',
  'receive_packets_dropped',
  'transmit_packets_dropped',
  'receive_errors',
  'transmit_errors',
];

export function cadvisorFamilies(): Family[] {
  const cpu = 'container_cpu_usage_seconds_total';
  const memory = 'container_memory_working_set_bytes';
  return [
    {
      name: cpu,
      type: 'counter',
      help: 'Cumulative cpu time consumed in seconds.',
      series: concat(containerSeries(cpu), aggregateSeries(cpu)),
    },
    {
      name: memory,
      type: 'gauge',
      help: 'Current working set in bytes.',
      series: concat(containerSeries(memory), aggregateSeries(memory)),
    },
    ...CONTAINER_FAMILIES.map(([name, type, help]) => ({ name, type, help, series: containerSeries(name) })),
    ...NETWORK_FAMILIES.map((n) => ({
      name: `container_network_${n}_total`,
      type: 'counter' as const,
      help: `Cumulative count of ${n.replace(/_/g, ' ')}`,
      series: networkSeries(`container_network_${n}_total`),
    })),
  ];
}

function* concat<T>(...parts: Array<Iterable<T>>): Generator<T> {
  for (const part of parts) {
    yield* part;
  }
}
