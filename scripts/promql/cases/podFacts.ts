import { counter, gauge, NODE, NS, NS_DECOY, out, POD, POD_DECOY, type QueryCase, s } from './shared';

// kube-state-metrics' pod series in their real label shape (internal/store/pod.go), and falcosidekick's event counter,
// which appears at a label set's first event, at 1.
const UID = { uid: 'b1946ac9-2f5f-4a8b-9d1c-1f0e2d3c4b5a' };
const IMAGE = 'docker.io/library/alpine:3.20';
const facts = [
  s(
    'kube_pod_container_info',
    { namespace: NS, pod: POD, container: 'shell', image: IMAGE, image_id: 'sha', ...UID },
    gauge(1)
  ),
  s(
    'kube_pod_container_info',
    { namespace: NS, pod: POD, container: 'sidecar', image: 'envoy:1.31', ...UID },
    gauge(1)
  ),
  s(
    'kube_pod_info',
    {
      namespace: NS,
      pod: POD,
      node: NODE,
      host_network: 'true',
      created_by_kind: 'ReplicaSet',
      created_by_name: 'web-7d4b9',
      host_ip: '10.0.1.21',
      pod_ip: '10.0.1.21',
      ...UID,
    },
    gauge(1)
  ),
  s('kube_pod_service_account', { namespace: NS, pod: POD, service_account: 'default', ...UID }, gauge(1)),
  // A pod of another namespace with the same name, without a service-account series (older kube-state-metrics).
  s('kube_pod_container_info', { namespace: NS_DECOY, pod: POD, container: 'app', image: 'app:2' }, gauge(1)),
  s(
    'kube_pod_info',
    {
      namespace: NS_DECOY,
      pod: POD,
      node: 'node-b',
      host_network: 'false',
      created_by_kind: '<none>',
      created_by_name: '<none>',
    },
    gauge(1)
  ),
  s(
    'kube_pod_container_resource_limits',
    { namespace: NS, pod: POD, container: 'shell', resource: 'cpu', unit: 'core', node: NODE },
    gauge(0.5)
  ),
  s(
    'kube_pod_container_resource_limits',
    { namespace: NS, pod: POD, container: 'shell', resource: 'memory', unit: 'byte', node: NODE },
    gauge(268435456)
  ),
  s(
    'kube_pod_container_resource_limits',
    { namespace: NS, pod: POD_DECOY, container: 'shell', resource: 'cpu', unit: 'core', node: NODE },
    gauge(2)
  ),
];
const shell = { namespace: NS, pod: POD, container: 'shell', image: IMAGE };
const podFacts = { node: NODE, host_network: 'true', created_by_kind: 'ReplicaSet', created_by_name: 'web-7d4b9' };

// The rows of the pod of NS, and of the pod of NS_DECOY (no service account): raw, recorded and the record alike.
const shopRows = [
  out({ ...shell, ...podFacts, service_account: 'default' }, 1),
  out(
    { namespace: NS, pod: POD, container: 'sidecar', image: 'envoy:1.31', ...podFacts, service_account: 'default' },
    1
  ),
];
const decoyRow = out(
  {
    namespace: NS_DECOY,
    pod: POD,
    container: 'app',
    image: 'app:2',
    node: 'node-b',
    host_network: 'false',
    created_by_kind: '<none>',
    created_by_name: '<none>',
  },
  1
);

const SIDEKICK = 'falcosecurity_falcosidekick_falco_events_total';
const event = (rule: string, ns: string, pod: string) => ({
  rule,
  priority: '3',
  priority_raw: 'notice',
  source: 'syscall',
  hostname: NODE,
  k8s_ns_name: ns,
  k8s_pod_name: pod,
});
const launches = [
  ...facts,
  // Born at minute 3 with its first event: 3 launches in the range, which increase() would count as about 2.
  s(SIDEKICK, event('Launch Privileged Container', NS, POD), '_x3 1 2 3+0x74'),
  // Counting since before the range: 5 at its start, 7 at its end, 2 launches; kube-state-metrics no longer knows it.
  s(SIDEKICK, event('Launch Privileged Container', NS, POD_DECOY), '5+0x6 6 7+0x72'),
  // Not a privileged-container rule.
  s(SIDEKICK, event('Terminal shell in container', NS, POD), counter(60)),
];

export const podFactCases: QueryCase[] = [
  {
    name: 'one row per container with node, host network, controller and service account',
    id: 'workload.pod.facts',
    params: { namespace: NS, pod: POD, interval: '10m' },
    series: facts,
    expected: [...shopRows],
  },
  {
    name: 'without kube_pod_service_account the rows stay',
    id: 'workload.pod.facts',
    params: { namespace: NS_DECOY, interval: '10m' },
    series: facts,
    expected: [decoyRow],
  },
  {
    // The record is written once a minute: a pod deleted in the range keeps its facts, as in the raw form; one
    // deleted before the range is not listed.
    name: 'a pod that ended in the range keeps its facts; one that ended before it is not listed',
    id: 'workload.pod.facts',
    params: { namespace: NS_DECOY, interval: '6m' },
    series: [
      ...['job-1', 'job-0'].flatMap((pod, i) => {
        // job-1 last seen at minute 5, job-0 at minute 2 (the range is 4m–10m). A deleted pod's series end with the
        // staleness marker the scrape writes when kube-state-metrics stops exposing them (scrape/scrape.go), so the
        // record stops with them instead of reading the last sample for 5 more minutes.
        const ended = i === 0 ? '1x5 stale' : '1x2 stale';
        return [
          s('kube_pod_container_info', { namespace: NS_DECOY, pod, container: 'run', image: 'job:1' }, ended),
          s(
            'kube_pod_info',
            {
              namespace: NS_DECOY,
              pod,
              node: NODE,
              host_network: 'false',
              created_by_kind: 'Job',
              created_by_name: pod,
            },
            ended
          ),
          s('kube_pod_service_account', { namespace: NS_DECOY, pod, service_account: 'batch' }, ended),
        ];
      }),
    ],
    expected: [
      out(
        {
          namespace: NS_DECOY,
          pod: 'job-1',
          container: 'run',
          image: 'job:1',
          node: NODE,
          host_network: 'false',
          created_by_kind: 'Job',
          created_by_name: 'job-1',
          service_account: 'batch',
        },
        1
      ),
    ],
  },
  {
    name: "the record: each container with its pod's facts now, the hostile namespace and pod escaped",
    id: 'workload.pod.facts.definition',
    params: { namespace: NS, pod: POD },
    series: facts,
    expected: [...shopRows],
  },
  {
    name: 'the record of every pod; a pod without kube_pod_service_account keeps its rows',
    id: 'workload.pod.facts.definition',
    params: {},
    series: facts,
    expected: [...shopRows, decoyRow],
  },
  {
    name: 'the cpu limit of each container',
    id: 'workload.pod.cpu_limits',
    params: { namespace: NS, pod: POD },
    series: facts,
    range: '1h',
    expected: [out({ namespace: NS, pod: POD, container: 'shell' }, 0.5)],
  },
  {
    name: 'a pod that ended in the range keeps its last limit; one that ended before the range is not listed',
    id: 'workload.pod.cpu_limits',
    params: { namespace: NS_DECOY, interval: '30m' },
    series: [
      ...facts,
      s(
        'kube_pod_container_resource_limits',
        { namespace: NS_DECOY, pod: 'job-1', container: 'run', resource: 'cpu', unit: 'core' },
        '0.25x40'
      ),
      s(
        'kube_pod_container_resource_limits',
        { namespace: NS_DECOY, pod: 'job-0', container: 'run', resource: 'cpu', unit: 'core' },
        '0.75x10'
      ),
    ],
    evalTime: '60m',
    expected: [out({ namespace: NS_DECOY, pod: 'job-1', container: 'run' }, 0.25)],
  },
  {
    name: 'the memory limit of each container',
    id: 'workload.pod.memory_limits',
    params: { namespace: NS },
    series: facts,
    range: '1h',
    expected: [out({ namespace: NS, pod: POD, container: 'shell' }, 268435456)],
  },
  {
    name: 'launches per pod with its images, first events counted',
    id: 'posture.privileged_launches.by_pod',
    params: { falcoSource: 'falcosidekick', interval: '10m' },
    series: launches,
    expected: [
      out({ namespace: NS, pod: POD, image: IMAGE }, 3),
      out({ namespace: NS, pod: POD, image: 'envoy:1.31' }, 3),
      out({ namespace: NS, pod: POD_DECOY }, 2),
    ],
  },
  {
    name: 'one pod, from native Falco picked (it has no pod label: falcosidekick is read)',
    id: 'posture.privileged_launches.by_pod',
    params: { namespace: NS, pod: POD, interval: '10m' },
    series: launches,
    expected: [
      out({ namespace: NS, pod: POD, image: IMAGE }, 3),
      out({ namespace: NS, pod: POD, image: 'envoy:1.31' }, 3),
    ],
  },
];
