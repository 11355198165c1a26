// The scenario's cluster: three nodes and about sixty pods in the namespaces a small production cluster has,
// plus the hostile-named pods the escaping tests select. A scale (CONTAINERSEC_SCENARIO_SCALE, see scale.ts) adds
// nodes, each with its DaemonSet pods, and a fleet of ordinary application pods on every node.
import { podHash, seededRandom } from './random';
import { type ClusterScale, SCALE } from './scale';
import { at } from './timeline';

export const PRIVILEGED_POD_CREATED_AT = at(15, 0);

export interface Node {
  name: string;
  ip: string;
  cpus: number;
  memoryBytes: number;
}

export interface Container {
  name: string;
  image: string;
  cpuCores: number; // baseline usage
  memoryBytes: number; // baseline working set
  cpuLimitCores?: number;
  memoryLimitBytes?: number;
}

export interface Pod {
  namespace: string;
  name: string;
  node: Node;
  ip: string;
  uid: string;
  ownerKind: 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | '<none>';
  ownerName: string;
  hostNetwork: boolean;
  packetsPerSecond: number; // baseline receive rate; transmit is close to it
  containers: Container[];
  createdAt?: number; // unix seconds; absent = running before the dataset starts
  fleet?: boolean; // one of the scale's ordinary application pods
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

// The fixed cluster's nodes: its workloads stay on them at every scale, so the attacks land where the tests look.
const BASE_NODES: Node[] = [
  { name: 'ip-10-0-1-21.ec2.internal', ip: '10.0.1.21', cpus: 4, memoryBytes: 16 * GiB },
  { name: 'ip-10-0-2-37.ec2.internal', ip: '10.0.2.37', cpus: 4, memoryBytes: 16 * GiB },
  { name: 'ip-10-0-3-54.ec2.internal', ip: '10.0.3.54', cpus: 4, memoryBytes: 16 * GiB },
];

function scaledNodes(scale: ClusterScale | undefined): Node[] {
  const extra = Array.from({ length: Math.max(0, (scale?.nodes ?? 0) - BASE_NODES.length) }, (_, i) => {
    const ip = `10.1.${Math.floor(i / 200)}.${(i % 200) + 10}`;
    return { name: `ip-${ip.replace(/\./g, '-')}.ec2.internal`, ip, cpus: 8, memoryBytes: 32 * GiB };
  });
  return [...BASE_NODES, ...extra];
}

export const NODES: Node[] = scaledNodes(SCALE);

interface Workload {
  namespace: string;
  name: string;
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  replicas: number; // ignored for DaemonSets (one per node)
  hostNetwork?: boolean;
  pps: number;
  containers: Container[];
}

const c = (
  name: string,
  image: string,
  cpuCores: number,
  memoryMiB: number,
  cpuLimitCores?: number,
  memoryLimitMiB?: number
): Container => ({
  name,
  image,
  cpuCores,
  memoryBytes: memoryMiB * MiB,
  cpuLimitCores,
  memoryLimitBytes: memoryLimitMiB === undefined ? undefined : memoryLimitMiB * MiB,
});

const WORKLOADS: Workload[] = [
  {
    namespace: 'kube-system',
    name: 'coredns',
    kind: 'Deployment',
    replicas: 2,
    pps: 400,
    containers: [c('coredns', 'registry.k8s.io/coredns/coredns:v1.11.3', 0.02, 40, undefined, 170)],
  },
  {
    namespace: 'kube-system',
    name: 'kube-proxy',
    kind: 'DaemonSet',
    replicas: 0,
    hostNetwork: true,
    pps: 0,
    containers: [c('kube-proxy', 'registry.k8s.io/kube-proxy:v1.31.4', 0.01, 30)],
  },
  {
    namespace: 'kube-system',
    name: 'aws-node',
    kind: 'DaemonSet',
    replicas: 0,
    hostNetwork: true,
    pps: 0,
    containers: [c('aws-node', '602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni:v1.19.0', 0.01, 60)],
  },
  {
    namespace: 'kube-system',
    name: 'metrics-server',
    kind: 'Deployment',
    replicas: 1,
    pps: 60,
    containers: [c('metrics-server', 'registry.k8s.io/metrics-server/metrics-server:v0.7.2', 0.01, 35, 0.1, 200)],
  },
  {
    namespace: 'monitoring',
    name: 'prometheus-kube-prometheus-stack-prometheus',
    kind: 'StatefulSet',
    replicas: 1,
    pps: 900,
    containers: [
      c('prometheus', 'quay.io/prometheus/prometheus:v2.54.1', 0.6, 2400, 2, 4096),
      c('config-reloader', 'quay.io/prometheus-operator/prometheus-config-reloader:v0.77.1', 0.002, 15, 0.2, 50),
    ],
  },
  {
    namespace: 'monitoring',
    name: 'alertmanager-kube-prometheus-stack-alertmanager',
    kind: 'StatefulSet',
    replicas: 1,
    pps: 20,
    containers: [c('alertmanager', 'quay.io/prometheus/alertmanager:v0.27.0', 0.003, 30)],
  },
  {
    namespace: 'monitoring',
    name: 'kube-prometheus-stack-grafana',
    kind: 'Deployment',
    replicas: 1,
    pps: 40,
    containers: [c('grafana', 'docker.io/grafana/grafana:12.4.0', 0.02, 180, 1, 512)],
  },
  {
    namespace: 'monitoring',
    name: 'kube-prometheus-stack-kube-state-metrics',
    kind: 'Deployment',
    replicas: 1,
    pps: 80,
    containers: [c('kube-state-metrics', 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0', 0.01, 40)],
  },
  {
    namespace: 'monitoring',
    name: 'kube-prometheus-stack-prometheus-node-exporter',
    kind: 'DaemonSet',
    replicas: 0,
    hostNetwork: true,
    pps: 0,
    containers: [c('node-exporter', 'quay.io/prometheus/node-exporter:v1.8.2', 0.01, 20)],
  },
  {
    namespace: 'falco',
    name: 'falco',
    kind: 'DaemonSet',
    replicas: 0,
    pps: 30,
    containers: [
      c('falco', 'docker.io/falcosecurity/falco:0.44.1', 0.08, 110, 1, 1024),
      c('falcoctl-artifact-follow', 'docker.io/falcosecurity/falcoctl:0.12.0', 0.001, 12),
    ],
  },
  {
    namespace: 'falco',
    name: 'falco-falcosidekick',
    kind: 'Deployment',
    replicas: 2,
    pps: 25,
    containers: [c('falcosidekick', 'docker.io/falcosecurity/falcosidekick:2.31.1', 0.002, 20)],
  },
  {
    namespace: 'web',
    name: 'nginx',
    kind: 'Deployment',
    replicas: 3,
    pps: 350,
    containers: [c('nginx', 'docker.io/library/nginx:1.27.3', 0.03, 25, 0.5, 128)],
  },
  {
    namespace: 'web',
    name: 'frontend',
    kind: 'Deployment',
    replicas: 3,
    pps: 250,
    containers: [c('frontend', 'ghcr.io/acme/frontend:4.2.1', 0.08, 150, 0.5, 256)],
  },
  {
    namespace: 'shop',
    name: 'cart',
    kind: 'Deployment',
    replicas: 2,
    pps: 180,
    containers: [c('cart', 'ghcr.io/acme/cart:2.7.0', 0.05, 120, 0.5, 256)],
  },
  {
    namespace: 'shop',
    name: 'checkout',
    kind: 'Deployment',
    replicas: 2,
    pps: 150,
    containers: [c('checkout', 'ghcr.io/acme/checkout:3.1.4', 0.06, 140, 0.5, 256)],
  },
  {
    namespace: 'shop',
    name: 'catalog',
    kind: 'Deployment',
    replicas: 3,
    pps: 200,
    containers: [c('catalog', 'ghcr.io/acme/catalog:1.9.2', 0.07, 200, 1, 512)],
  },
  {
    namespace: 'shop',
    name: 'recommendation',
    kind: 'Deployment',
    replicas: 2,
    pps: 90,
    containers: [c('recommendation', 'ghcr.io/acme/recommendation:0.14.0', 0.05, 220, 0.5, 512)],
  },
  {
    namespace: 'shop',
    name: 'redis',
    kind: 'StatefulSet',
    replicas: 1,
    pps: 600,
    containers: [c('redis', 'docker.io/library/redis:7.4.1', 0.04, 300, 1, 1024)],
  },
  {
    namespace: 'shop',
    name: 'postgres',
    kind: 'StatefulSet',
    replicas: 1,
    pps: 300,
    containers: [c('postgres', 'docker.io/library/postgres:16.6', 0.12, 700, 2, 2048)],
  },
  {
    namespace: 'payments',
    name: 'payments-api',
    kind: 'Deployment',
    replicas: 2,
    pps: 120,
    containers: [
      c('payments-api', 'ghcr.io/acme/payments-api:5.0.2', 0.05, 180, 0.5, 384),
      c('istio-proxy', 'docker.io/istio/proxyv2:1.24.1', 0.02, 60, 0.5, 256),
    ],
  },
  {
    namespace: 'payments',
    name: 'fraud-worker',
    kind: 'Deployment',
    replicas: 2,
    pps: 40,
    containers: [c('fraud-worker', 'ghcr.io/acme/fraud-worker:1.3.0', 0.1, 300, 1, 512)],
  },
  {
    namespace: 'payments',
    name: 'ledger',
    kind: 'StatefulSet',
    replicas: 2,
    pps: 60,
    containers: [c('ledger', 'ghcr.io/acme/ledger:2.2.0', 0.04, 260, 0.5, 512)],
  },
  {
    namespace: 'data',
    name: 'kafka',
    kind: 'StatefulSet',
    replicas: 3,
    pps: 1200,
    containers: [c('kafka', 'docker.io/bitnami/kafka:3.8.1', 0.35, 1400, 2, 3072)],
  },
  {
    namespace: 'data',
    name: 'zookeeper',
    kind: 'StatefulSet',
    replicas: 3,
    pps: 100,
    containers: [c('zookeeper', 'docker.io/bitnami/zookeeper:3.9.3', 0.03, 250, 0.5, 512)],
  },
  {
    namespace: 'dev',
    name: 'jenkins',
    kind: 'StatefulSet',
    replicas: 1,
    pps: 50,
    containers: [c('jenkins', 'docker.io/jenkins/jenkins:2.479.2-lts', 0.1, 900, 2, 2048)],
  },
  {
    namespace: 'dev',
    name: 'build-agent',
    kind: 'Deployment',
    replicas: 2,
    pps: 30,
    containers: [c('agent', 'docker.io/jenkins/inbound-agent:3273.v4cfe589b_fd83-1', 0.05, 300, 1, 1024)],
  },
  {
    namespace: 'dev',
    name: 'netshoot',
    kind: 'Deployment',
    replicas: 1,
    pps: 2,
    containers: [c('netshoot', 'docker.io/nicolaka/netshoot:v0.13', 0.001, 8)],
  },
  {
    namespace: 'kyverno',
    name: 'kyverno-admission-controller',
    kind: 'Deployment',
    replicas: 1,
    pps: 70,
    containers: [c('kyverno', 'ghcr.io/kyverno/kyverno:v1.13.2', 0.03, 120, 1, 384)],
  },
  {
    namespace: 'gatekeeper-system',
    name: 'gatekeeper-audit',
    kind: 'Deployment',
    replicas: 1,
    pps: 30,
    containers: [c('manager', 'openpolicyagent/gatekeeper:v3.18.1', 0.02, 150, 1, 512)],
  },
  {
    namespace: 'trivy-system',
    name: 'trivy-operator',
    kind: 'Deployment',
    replicas: 1,
    pps: 20,
    containers: [c('trivy-operator', 'ghcr.io/aquasecurity/trivy-operator:0.24.1', 0.02, 160, 0.5, 512)],
  },
];

// Kubernetes never allows these names; they are here to prove the library escapes what it puts into a selector.
export const HOSTILE_NAMESPACE = 'hostile"ns\\.*';
export const HOSTILE_POD = 'evil"pod\\name.*+?(a|b)[c]{1}^$\nline2';
// Pods a half-escaped selector would also match: each differs where a metacharacter would match something else.
export const DECOY_PODS = [
  'evil"pod\\nameXXX+?(a|b)[c]{1}^$\nline2',
  'evil"podXname.*+?(a|b)[c]{1}^$\nline2',
  'evil"pod\\name.*+?a[c]{1}^$\nline2',
  'evil"pod\\name.*+?(a|b)c^$\nline2',
  'evil"pod\\name.*+?(a|b)[c]{1}^$',
];
export const DECOY_NAMESPACE = 'hostile"nsX';

function buildPods(): Pod[] {
  const random = seededRandom('cluster');
  const pods: Pod[] = [];
  let ipSuffix = 10;
  let nodeCursor = 0;
  const add = (w: Workload, name: string, node: Node, ownerName: string) => {
    pods.push({
      namespace: w.namespace,
      name,
      node,
      ip: w.hostNetwork ? node.ip : `10.244.${NODES.indexOf(node)}.${ipSuffix++}`,
      uid: uuid(random),
      ownerKind: w.kind === 'Deployment' ? 'ReplicaSet' : w.kind,
      ownerName,
      hostNetwork: w.hostNetwork ?? false,
      packetsPerSecond: w.pps,
      containers: w.containers,
    });
  };
  for (const w of WORKLOADS) {
    if (w.kind === 'DaemonSet') {
      for (const node of NODES) {
        add(w, `${w.name}-${podHash(random, 5)}`, node, w.name);
      }
      continue;
    }
    const replicaSet = `${w.name}-${podHash(random, 10)}`;
    for (let i = 0; i < w.replicas; i++) {
      const node = BASE_NODES[nodeCursor++ % BASE_NODES.length];
      if (w.kind === 'StatefulSet') {
        add(w, `${w.name}-${i}`, node, w.name);
      } else {
        add(w, `${replicaSet}-${podHash(random, 5)}`, node, replicaSet);
      }
    }
  }
  const hostile: Workload = {
    namespace: HOSTILE_NAMESPACE,
    name: 'hostile',
    kind: 'Deployment',
    replicas: 0,
    pps: 5,
    containers: [c('app', 'ghcr.io/acme/hostile:1.0.0', 0.01, 20, 0.5, 128)],
  };
  add(hostile, HOSTILE_POD, NODES[0], 'hostile');
  for (const decoy of DECOY_PODS) {
    add(hostile, decoy, NODES[1], 'hostile');
  }
  add({ ...hostile, namespace: DECOY_NAMESPACE }, HOSTILE_POD, NODES[2], 'hostile');
  // The attacker's privileged pod exists only from its launch on (see attacks.ts).
  const privileged: Workload = {
    namespace: 'default',
    name: 'priv-debug',
    kind: 'Deployment',
    replicas: 0,
    pps: 1,
    containers: [c('shell', 'docker.io/library/alpine:3.20', 0.001, 4)],
  };
  add(privileged, 'priv-debug', NODES[2], '<none>');
  const last = pods[pods.length - 1];
  last.ownerKind = '<none>';
  last.createdAt = PRIVILEGED_POD_CREATED_AT;
  return [...pods, ...fleetPods(SCALE, random)];
}

// The scale's application pods: Deployments of three replicas in a dozen team namespaces, `podsPerNode` on each node,
// each with an app container and containers - 1 sidecars; addressed from their node's own pod CIDR.
function fleetPods(scale: ClusterScale | undefined, random: () => number): Pod[] {
  if (!scale) {
    return [];
  }
  const pods: Pod[] = [];
  const total = scale.nodes * scale.podsPerNode;
  const sidecars = Array.from({ length: scale.containers - 1 }, (_, i) =>
    c(`sidecar-${i + 1}`, 'docker.io/istio/proxyv2:1.24.1', 0.01, 50, 0.5, 256)
  );
  let replicaSet = '';
  for (let k = 0; k < total; k++) {
    const node = NODES[k % NODES.length];
    const deployment = `svc-${Math.floor(k / 3)}`;
    if (k % 3 === 0) {
      replicaSet = `${deployment}-${podHash(random, 10)}`;
    }
    const nodeIndex = NODES.indexOf(node);
    pods.push({
      namespace: `team-${Math.floor(k / 3) % 12}`,
      name: `${replicaSet}-${podHash(random, 5)}`,
      node,
      ip: `10.${100 + Math.floor(nodeIndex / 250)}.${nodeIndex % 250}.${Math.floor(k / NODES.length) + 10}`,
      uid: uuid(random),
      ownerKind: 'ReplicaSet',
      ownerName: replicaSet,
      hostNetwork: false,
      packetsPerSecond: 20 + (k % 7) * 15,
      containers: [
        c('app', `ghcr.io/acme/${deployment}:1.${k % 5}.0`, 0.02 + (k % 5) * 0.01, 80 + (k % 9) * 20, 1, 512),
        ...sidecars,
      ],
      fleet: true,
    });
  }
  return pods;
}

function uuid(random: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

export const PODS: Pod[] = buildPods();

export function findPod(namespace: string, namePrefix: string): Pod {
  const pod = PODS.find((p) => p.namespace === namespace && p.name.startsWith(namePrefix));
  if (!pod) {
    throw new Error(`scenario has no pod ${namespace}/${namePrefix}*`);
  }
  return pod;
}
