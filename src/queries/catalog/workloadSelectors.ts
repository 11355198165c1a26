import { fixedMatcher, labelMatcher, selector } from '../labels';
import type { QueryParams } from '../types';

// Selectors for per-pod series: cAdvisor (container!="" drops the pod cgroup total, image!="" the pause container)
// and kube-state-metrics. Both label workloads with namespace, pod and container.

export const POD = 'cluster, namespace, pod';
export const CONTAINER = 'cluster, namespace, pod, container';

const workloadMatchers = (p: QueryParams) => [
  labelMatcher('cluster', p.cluster),
  labelMatcher('namespace', p.namespace),
  labelMatcher('pod', p.pod),
];

export function cadvisorContainers(metric: string, p: QueryParams): string {
  return selector(metric, [
    ...workloadMatchers(p),
    fixedMatcher('container', '!=', ''),
    fixedMatcher('image', '!=', ''),
  ]);
}

// cAdvisor network series are per pod (the pod's network namespace), with no container label to filter on.
export function cadvisorPods(metric: string, p: QueryParams): string {
  return selector(metric, workloadMatchers(p));
}

export function kubeState(metric: string, p: QueryParams, extra: Array<string | undefined> = []): string {
  return selector(metric, [...workloadMatchers(p), ...extra]);
}

// A series recorded by this project's recording rules; every record keeps cluster, namespace and pod.
export function recorded(record: string, p: QueryParams, extra: Array<string | undefined> = []): string {
  return selector(record, [...workloadMatchers(p), ...extra]);
}
