// kube-state-metrics (v2, honorLabels: the object's namespace and pod win over the target's): pod, container and
// node state. It has no securityContext metrics; host networking shows only as kube_pod_info's host_network label.
import { INCIDENTS } from '../attacks';
import { Container, NODES, Pod, PODS } from '../cluster';
import { Family, Labels, Series } from '../openmetrics';
import { seededRandom } from '../random';
import { inside, SCRAPE_INTERVAL, scrapeTimes } from '../timeline';
import { constant } from '../values';
import { falcoIsDown } from './falco';

const times = scrapeTimes(SCRAPE_INTERVAL, 7);
const ksmPod = PODS.find((p) => p.ownerName.startsWith('kube-prometheus-stack-kube-state-metrics'))!;
export const KSM_TARGET: Labels = {
  endpoint: 'http',
  instance: `${ksmPod.ip}:8080`,
  job: 'kube-state-metrics',
  service: 'kube-prometheus-stack-kube-state-metrics',
};

const exists = (pod: Pod) => (t: number) => pod.createdAt === undefined || t >= pod.createdAt;

interface ContainerState {
  waiting?: string; // reason while waiting
  restartsBefore: (t: number) => number;
  lastTerminated?: (t: number) => string | undefined;
}

// Restarts and waiting reasons of the containers the incidents touch; every other container just runs.
function containerState(pod: Pod, ct: Container): (t: number) => ContainerState {
  const base = Math.floor(seededRandom(`restarts/${pod.name}/${ct.name}`)() * 3);
  const crash = INCIDENTS.buildAgentCrashLoop;
  if (pod === crash.pod) {
    return (t) => ({
      restartsBefore: () => base + (t < crash.start ? 0 : Math.floor((Math.min(t, crash.end) - crash.start) / 300) + 1),
      waiting: inside(crash, t) && (t - crash.start) % 300 > 20 ? 'CrashLoopBackOff' : undefined,
      lastTerminated: () => (t >= crash.start ? 'Error' : undefined),
    });
  }
  const falco = INCIDENTS.falcoDown;
  if (pod.ownerName === 'falco' && ct.name === 'falco' && pod.node.name === falco.node) {
    return (t) => ({
      restartsBefore: () => base + (t < falco.start ? 0 : Math.floor((Math.min(t, falco.end) - falco.start) / 300) + 1),
      waiting: falcoIsDown(pod.node, t) && (t - falco.start) % 300 > 15 ? 'CrashLoopBackOff' : undefined,
      lastTerminated: () => (t >= falco.start ? 'Error' : undefined),
    });
  }
  const oom = INCIDENTS.fraudWorkerOom;
  if (pod === oom.pod && ct.name === 'fraud-worker') {
    return (t) => ({
      restartsBefore: () => base + (t >= oom.end ? 1 : 0),
      lastTerminated: () => (t >= oom.end ? 'OOMKilled' : undefined),
    });
  }
  return () => ({ restartsBefore: () => base });
}

function* podSeries(make: (pod: Pod) => Series[]): Generator<Series> {
  for (const pod of PODS) {
    yield* make(pod);
  }
}

function* containerSeries(
  make: (pod: Pod, ct: Container, state: (t: number) => ContainerState) => Series[]
): Generator<Series> {
  for (const pod of PODS) {
    for (const ct of pod.containers) {
      yield* make(pod, ct, containerState(pod, ct));
    }
  }
}

const podLabels = (pod: Pod): Labels => ({ ...KSM_TARGET, namespace: pod.namespace, pod: pod.name, uid: pod.uid });
const containerLabels = (pod: Pod, ct: Container): Labels => ({ ...podLabels(pod), container: ct.name });

const series = (labels: Labels, value: (t: number) => number): Series => {
  const values = new Float64Array(times.length);
  for (let i = 0; i < times.length; i++) {
    values[i] = value(times[i]);
  }
  return { labels, times, values };
};

function resources(kind: 'limits' | 'requests'): Generator<Series> {
  return containerSeries((pod, ct) => {
    const out: Series[] = [];
    const cpu = kind === 'limits' ? ct.cpuLimitCores : ct.cpuCores * 1.5;
    const memory = kind === 'limits' ? ct.memoryLimitBytes : ct.memoryBytes;
    if (cpu !== undefined) {
      out.push({
        labels: { ...containerLabels(pod, ct), node: pod.node.name, resource: 'cpu', unit: 'core' },
        times,
        values: constant(times, Number(cpu.toFixed(3)), exists(pod)),
      });
    }
    if (memory !== undefined) {
      out.push({
        labels: { ...containerLabels(pod, ct), node: pod.node.name, resource: 'memory', unit: 'byte' },
        times,
        values: constant(times, memory, exists(pod)),
      });
    }
    return out;
  });
}

// Charts give their workloads a service account of their own; everything else runs as its namespace's default.
function serviceAccountOf(pod: Pod): string {
  return pod.namespace === 'falco' || pod.namespace === 'monitoring'
    ? pod.ownerName.replace(/-[a-z0-9]{8,10}$/, '')
    : 'default';
}

const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
const WAITING_REASONS = [
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'ContainerCreating',
];
const CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

export function kubeStateMetricsFamilies(): Family[] {
  return [
    {
      name: 'kube_pod_info',
      type: 'gauge',
      help: 'Information about pod.',
      series: podSeries((pod) => [
        series(
          {
            ...podLabels(pod),
            created_by_kind: pod.ownerKind,
            created_by_name: pod.ownerName,
            host_ip: pod.node.ip,
            host_network: String(pod.hostNetwork),
            node: pod.node.name,
            pod_ip: pod.ip,
            priority_class: pod.namespace === 'kube-system' ? 'system-node-critical' : '',
          },
          (t) => (exists(pod)(t) ? 1 : NaN)
        ),
      ]),
    },
    {
      name: 'kube_pod_status_phase',
      type: 'gauge',
      help: 'The pods current phase.',
      series: podSeries((pod) =>
        PHASES.map((phase) =>
          series({ ...podLabels(pod), phase }, (t) => (exists(pod)(t) ? (phase === 'Running' ? 1 : 0) : NaN))
        )
      ),
    },
    {
      name: 'kube_pod_owner',
      type: 'gauge',
      help: "Information about the Pod's owner.",
      series: podSeries((pod) => [
        series(
          { ...podLabels(pod), owner_is_controller: 'true', owner_kind: pod.ownerKind, owner_name: pod.ownerName },
          (t) => (exists(pod)(t) ? 1 : NaN)
        ),
      ]),
    },
    {
      // kube-state-metrics >= 2.12 (internal/store/pod.go): the pod's spec.serviceAccountName.
      name: 'kube_pod_service_account',
      type: 'gauge',
      help: 'The service account for a pod.',
      series: podSeries((pod) => [
        series({ ...podLabels(pod), service_account: serviceAccountOf(pod) }, (t) => (exists(pod)(t) ? 1 : NaN)),
      ]),
    },
    {
      name: 'kube_pod_container_info',
      type: 'gauge',
      help: 'Information about a container in a pod.',
      series: containerSeries((pod, ct) => [
        series({ ...containerLabels(pod, ct), image: ct.image, image_spec: ct.image }, (t) =>
          exists(pod)(t) ? 1 : NaN
        ),
      ]),
    },
    {
      name: 'kube_pod_container_status_restarts_total',
      type: 'counter',
      help: 'The number of container restarts per container.',
      series: containerSeries((pod, ct, state) => [
        series(containerLabels(pod, ct), (t) => (exists(pod)(t) ? state(t).restartsBefore(t) : NaN)),
      ]),
    },
    {
      name: 'kube_pod_container_status_running',
      type: 'gauge',
      help: 'Describes whether the container is currently in running state.',
      series: containerSeries((pod, ct, state) => [
        series(containerLabels(pod, ct), (t) => (exists(pod)(t) ? (state(t).waiting ? 0 : 1) : NaN)),
      ]),
    },
    {
      name: 'kube_pod_container_status_waiting',
      type: 'gauge',
      help: 'Describes whether the container is currently in waiting state.',
      series: containerSeries((pod, ct, state) => [
        series(containerLabels(pod, ct), (t) => (exists(pod)(t) ? (state(t).waiting ? 1 : 0) : NaN)),
      ]),
    },
    {
      name: 'kube_pod_container_status_waiting_reason',
      type: 'gauge',
      help: 'Describes the reason the container is currently in waiting state.',
      series: containerSeries((pod, ct, state) =>
        WAITING_REASONS.map((reason) =>
          series({ ...containerLabels(pod, ct), reason }, (t) =>
            exists(pod)(t) && state(t).waiting === reason ? 1 : NaN
          )
        ).filter((s) => s.values.some((v) => !Number.isNaN(v)))
      ),
    },
    {
      name: 'kube_pod_container_status_last_terminated_reason',
      type: 'gauge',
      help: 'Describes the last reason the container was in terminated state.',
      series: containerSeries((pod, ct, state) =>
        ['OOMKilled', 'Error', 'Completed']
          .map((reason) =>
            series({ ...containerLabels(pod, ct), reason }, (t) => (state(t).lastTerminated?.(t) === reason ? 1 : NaN))
          )
          .filter((s) => s.values.some((v) => !Number.isNaN(v)))
      ),
    },
    {
      name: 'kube_pod_container_resource_limits',
      type: 'gauge',
      help: 'The number of requested limit resource by a container.',
      series: resources('limits'),
    },
    {
      name: 'kube_pod_container_resource_requests',
      type: 'gauge',
      help: 'The number of requested request resource by a container.',
      series: resources('requests'),
    },
    {
      name: 'kube_node_info',
      type: 'gauge',
      help: 'Information about a cluster node.',
      series: NODES.map((node) =>
        series(
          {
            ...KSM_TARGET,
            container_runtime_version: 'containerd://1.7.23',
            internal_ip: node.ip,
            kernel_version: '6.1.119-129.201.amzn2023.x86_64',
            kubelet_version: 'v1.31.4-eks-aeac579',
            node: node.name,
            os_image: 'Amazon Linux 2023.6.20241212',
            provider_id: `aws:///us-east-1a/i-0${node.ip.replace(/\./g, '')}`,
          },
          () => 1
        )
      ),
    },
    {
      name: 'kube_node_status_condition',
      type: 'gauge',
      help: 'The condition of a cluster node.',
      series: NODES.flatMap((node) =>
        CONDITIONS.flatMap((condition) =>
          ['true', 'false', 'unknown'].map((status) =>
            series({ ...KSM_TARGET, condition, node: node.name, status }, () =>
              (condition === 'Ready') === (status === 'true') && status !== 'unknown' ? 1 : 0
            )
          )
        )
      ),
    },
    {
      name: 'kube_node_status_allocatable',
      type: 'gauge',
      help: 'The allocatable for different resources of a node that are available for scheduling.',
      series: NODES.flatMap((node) => [
        series({ ...KSM_TARGET, node: node.name, resource: 'cpu', unit: 'core' }, () => node.cpus - 0.1),
        series({ ...KSM_TARGET, node: node.name, resource: 'memory', unit: 'byte' }, () => node.memoryBytes * 0.92),
        series({ ...KSM_TARGET, node: node.name, resource: 'pods', unit: 'integer' }, () => 58),
      ]),
    },
    {
      name: 'kube_daemonset_status_desired_number_scheduled',
      type: 'gauge',
      help: 'The number of nodes that should be running the daemon pod.',
      series: ['falco', 'kube-proxy', 'aws-node', 'kube-prometheus-stack-prometheus-node-exporter'].map((ds) =>
        series(
          { ...KSM_TARGET, daemonset: ds, namespace: PODS.find((p) => p.ownerName === ds)!.namespace },
          () => NODES.length
        )
      ),
    },
    {
      name: 'kube_daemonset_status_number_ready',
      type: 'gauge',
      help: 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
      series: ['falco', 'kube-proxy', 'aws-node', 'kube-prometheus-stack-prometheus-node-exporter'].map((ds) =>
        series(
          { ...KSM_TARGET, daemonset: ds, namespace: PODS.find((p) => p.ownerName === ds)!.namespace },
          (t) => NODES.length - (ds === 'falco' && inside(INCIDENTS.falcoDown, t) ? 1 : 0)
        )
      ),
    },
  ];
}
