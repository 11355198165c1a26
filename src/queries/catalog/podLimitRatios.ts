import type { QueryEntry, QueryParams } from '../types';
import { CPU_RATIO_RECORD, MEMORY_RATIO_RECORD, POD_CPU_RATIO_RECORD, POD_MEMORY_RATIO_RECORD } from './records';
import { byRecordPeak, topPods, topRecordedPods, topRecordEntry } from './topPods';
import { POD, recorded } from './workloadSelectors';
import { limitRatio, RATIO_EXPORTERS } from './workloads';

// Use of limit by pod: the highest ratio among each pod's containers with a limit, the one that throttles or is
// OOM-killed first. Over a fleet the ranked view is by pod, the unit a drilldown opens: ranking 1,208 containers' day
// and keeping the top 10 at each of 1,440 steps took 204 ms at 50,000 series, 773 pods' records about half of that
// (bench:promql). A pod's drilldown shows each container's ratio (workload.cpu.limit_ratio).

interface PodRatio {
  resource: 'CPU' | 'Memory';
  id: string;
  containerRecord: string;
  record: string;
  related: string[];
}

const RATIOS: PodRatio[] = [
  {
    resource: 'CPU',
    id: 'workload.cpu.limit_ratio.by_pod',
    containerRecord: CPU_RATIO_RECORD,
    record: POD_CPU_RATIO_RECORD,
    related: ['workload.cpu.limit_ratio', 'workload.cpu.by_pod', 'workload.near_limits'],
  },
  {
    resource: 'Memory',
    id: 'workload.memory.limit_ratio.by_pod',
    containerRecord: MEMORY_RATIO_RECORD,
    record: POD_MEMORY_RATIO_RECORD,
    related: ['workload.memory.limit_ratio', 'workload.memory.working_set', 'workload.oom_events'],
  },
];

// From the per-pod record, ranked from its top record.
const fromPodRecord = (r: PodRatio, p: QueryParams) =>
  topRecordedPods(recorded(r.record, p), p, byRecordPeak(r.record, p, POD, true));

// The raw form, while the rules are not installed (or an older PrometheusRule lacks the per-pod records): each
// container's use over its limit joined at every step, ranked by its peak over the range at the records' minutes (a
// subquery). Slow over a fleet, as raw forms are, and the same pods and values as the records.
function fromRaw(r: PodRatio, p: QueryParams): string {
  const ratio = limitRatio(r.resource === 'CPU' ? 'cpu' : 'memory', p);
  if (p.topN === undefined) {
    return `max by (${POD}) (${ratio})`;
  }
  return topPods('max', ratio, p, (range) => `max by (${POD}) (max_over_time((${ratio})[${range}:1m] @ end()))`);
}

function entries(r: PodRatio): QueryEntry[] {
  const title = `${r.resource} use of limit by pod`;
  return [
    {
      id: r.id,
      title,
      description:
        `Per pod, the highest ${r.resource === 'CPU' ? 'CPU use (5m rate)' : 'working set'} as a fraction of the ` +
        `container's limit among its containers with a limit (from the recording rule ${r.record}, the maximum of ` +
        `${r.containerRecord}); pods without a limited container are absent. With topN, only the pods with the ` +
        'highest peak in the range.',
      category: 'workload-resources',
      params: ['cluster', 'namespace', 'pod', 'topN'],
      unit: 'percentunit',
      visualization: 'timeseries',
      legend: '{{namespace}}/{{pod}}',
      exporters: () => [...RATIO_EXPORTERS],
      related: [...r.related, `${r.id}.definition`],
      recordingRule: r.record,
      build: (p) => fromPodRecord(r, p),
      fallback: (p) => fromRaw(r, p),
    },
    {
      id: `${r.id}.definition`,
      title: `${title} (recording rule definition)`,
      description: `The highest ratio of each pod's containers (${r.containerRecord}), recorded as ${r.record}.`,
      category: 'workload-resources',
      params: ['cluster', 'namespace', 'pod'],
      unit: 'percentunit',
      visualization: 'timeseries',
      legend: '{{namespace}}/{{pod}}',
      exporters: () => [...RATIO_EXPORTERS],
      related: [r.id],
      recordingRule: r.record,
      build: (p) => `max by (${POD}) (${recorded(r.containerRecord, p)})`,
    },
    topRecordEntry(r.id, title, r.record, ['cadvisor', 'kube-state-metrics']),
  ];
}

export const podLimitRatioQueries: QueryEntry[] = RATIOS.flatMap(entries);
