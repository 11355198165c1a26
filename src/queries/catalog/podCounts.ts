import { PER_INTERVAL, PREVIOUS_LOOKBACK, WHOLE_RANGE } from '../eventCounts';
import { rangeOf, topNOf } from '../params';
import type { QueryEntry, QueryParams } from '../types';
import { POD, recorded } from './workloadSelectors';

// Restarts and OOM kills per pod, as whole numbers in each interval. Counted at every step from the raw counters, a
// day of 1,376 containers took 1.4 s at 50,000 series (a sum by 773 pods, nearly all 0, at each of 1,440 steps), so the
// panels read a per-minute record that holds only the pods whose counter grew in that minute.
//
// Unlike Falco's event counters, these are born with the count they already have: kube-state-metrics exports a pod's
// restartCount from the pod's status (kube_pod_container_status_restarts_total: `Value: float64(cs.RestartCount)` in
// createPodContainerStatusRestartsTotalFamilyGenerator, internal/store/pod.go); cAdvisor's OOM counter is read the
// same way. A series' first sample is no growth, as for increase(): a pod kube-state-metrics first sees with 3
// restarts (a new kube-state-metrics, or one back after more than PREVIOUS_LOOKBACK away) is not 3 new restarts.
// Per series, with L the last sample in the window (t-r, t], P the last one before it (within PREVIOUS_LOOKBACK, so a
// scrape gap is bridged) and m, M the window's minimum and maximum:
//   P <= m (the counter kept growing):       L - P
//   P > m (it dropped: a new count from 0):  L + max(M - P, 0), its growth before the drop (exact when the drop
//                                            came after its peak in the window) and after it
//   no P (born in the window):               L - m, its growth since its first sample
// Adjacent windows tile: summed over any whole number of minutes, the record gives that range's count.
export const COUNT_WINDOW = '1m';

function growth(selector: string, range: string, at?: string): string {
  const pin = at ? ` @ ${at}` : '';
  const last = `last_over_time(${selector}[${range}]${pin})`;
  const previous = `last_over_time(${selector}[${PREVIOUS_LOOKBACK}]${pin} offset ${range})`;
  const min = `min_over_time(${selector}[${range}]${pin})`;
  const max = `max_over_time(${selector}[${range}]${pin})`;
  return (
    `(${last} - (${previous} <= ${min})) or ` +
    `((${last} + clamp_min(${max} - ${previous}, 0)) and (${previous} > ${min})) or ` +
    `(${last} - ${min})`
  );
}

// Each pod's growth in the window, only where it grew: a pod at 0 is no row and costs no point at a step.
export const podGrowth = (selector: string, range: string, at?: string) =>
  `sum by (${POD}) (${growth(selector, range, at)}) > 0`;

// The panel from the raw counters (the fallback while the record is not installed: slower, it compares every
// container's samples at each step). With topN, only the pods that grew most over the range.
export function rawPodCounts(selector: string, p: QueryParams): string {
  const counts = podGrowth(selector, rangeOf(p, PER_INTERVAL));
  if (p.topN === undefined) {
    return counts;
  }
  return `${counts} and on (${POD}) topk(${topNOf(p)}, ${podGrowth(selector, rangeOf(p, WHOLE_RANGE), 'end()')})`;
}

// The panel from the per-minute record: each interval's count is the sum of its minutes; topN ranks by the range's.
export function recordedPodCounts(record: string, p: QueryParams): string {
  const sel = recorded(record, p);
  const counts = `sum_over_time(${sel}[${rangeOf(p, PER_INTERVAL)}])`;
  if (p.topN === undefined) {
    return counts;
  }
  const rank = `sum by (${POD}) (sum_over_time(${sel}[${rangeOf(p, WHOLE_RANGE)}] @ end()))`;
  return `${counts} and on (${POD}) topk(${topNOf(p)}, ${rank} > 0)`;
}

// The definition entry of a per-minute count record.
export interface PodCount {
  id: string;
  title: string;
  description: string;
  unit: string;
  exporter: 'cadvisor' | 'kube-state-metrics';
  record: string;
  selector: (p: QueryParams) => string;
  related: string[];
}

// The per-pod count panel (from its record, the raw counters as fallback) and its record's definition.
export function podCountEntries(c: PodCount): QueryEntry[] {
  return [
    {
      id: c.id,
      title: c.title,
      description: c.description,
      category: 'workload-resources',
      params: ['cluster', 'namespace', 'pod', 'interval', 'topN'],
      unit: c.unit,
      visualization: 'timeseries',
      legend: '{{namespace}}/{{pod}}',
      exporters: () => [c.exporter, 'recording-rules'],
      related: c.related,
      recordingRule: c.record,
      build: (p) => recordedPodCounts(c.record, p),
      fallback: (p) => rawPodCounts(c.selector(p), p),
    },
    podCountDefinition(c.id, c.title, c.unit, c.exporter, c.record, c.selector),
  ];
}

function podCountDefinition(
  id: string,
  title: string,
  unit: string,
  exporter: 'cadvisor' | 'kube-state-metrics',
  record: string,
  selector: (p: QueryParams) => string
): QueryEntry {
  return {
    id: `${id}.definition`,
    title: `${title} (recording rule definition)`,
    description:
      `${title}: each pod's growth in the minute, whole numbers, a counter's first sample not counted, only pods ` +
      `that grew; recorded as ${record} for the per-pod panel.`,
    category: 'workload-resources',
    params: ['cluster', 'namespace', 'pod'],
    unit,
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => [exporter],
    related: [id],
    recordingRule: record,
    build: (p) => podGrowth(selector(p), COUNT_WINDOW),
  };
}
