import { rangeOf, topNOf } from '../params';
import type { Exporter, QueryEntry, QueryParams } from '../types';
import { POD, recorded } from './workloadSelectors';

// With topN, a per-pod series query keeps only the N pods with the most over the whole range: seventy pods' lines are
// unreadable, and the pod an analyst looks for is the one at the top. The rank is evaluated once, at the range's end
// (@ end()), so every step of a range query draws the same pods; its range is the dashboard's ($__range), or the
// interval parameter when one is given.
//
// The filter sits on the per-series vector, inside the aggregation: Prometheus then aggregates the top pods' series
// at each step instead of every pod's. At 50,000 series, aggregating 650 pods at 1,440 steps took 0.75 s of a
// 0.8 s panel; selecting them took 0.1 s (scripts/promql/benchmark.ts, README "Query speed at fleet scale").
export function topPods(
  aggregation: 'sum' | 'max',
  perSeries: string,
  p: QueryParams,
  rank: (range: string) => string,
  by: string = POD
): string {
  if (p.topN === undefined) {
    return `${aggregation} by (${by}) (${perSeries})`;
  }
  // > 0 (topRank): a pod that used nothing in the range is no top pod, however few pods used anything.
  return `${aggregation} by (${by}) ((${perSeries}) and on (${by}) ${topRank(p, rank)})`;
}

// A per-pod (or per-container, `by`) record has one series per group already: it is read as it is, not aggregated
// (at 50,000 series, 650 pods' `max by` at 1,440 steps took 0.75 s, the selector alone 0.1 s); its series keep the
// record's name, with topN too.
export function topRecordedPods(
  recordSelector: string,
  p: QueryParams,
  rank: (range: string) => string,
  by: string = POD
): string {
  if (p.topN === undefined) {
    return recordSelector;
  }
  return `${recordSelector} and on (${by}) ${topRank(p, rank)}`;
}

// Each minute's top TOP_RECORD_K groups of a record in each namespace, recorded beside it (topRecordDefinition): a
// group among the N (N <= K) of a selection of clusters and namespaces with the highest peak in a range is among its
// namespace's K highest at the minute of its peak (fewer than N groups of the selection, so of its namespace, were
// above it then; ties aside, where either is a right answer). So the peak rank reads K series per namespace and
// minute instead of every group's day: 1,208 containers' day took 109 ms of a 300 ms panel at 50,000 series.
// A pod filter narrows below a namespace, where the argument does not hold: it ranks from the record itself.
export const TOP_RECORD_K = 10;
export const topRecordOf = (record: string) => `${record}:top${TOP_RECORD_K}`;
export const topRecordDefinition = (recordSelector: string) =>
  `topk by (cluster, namespace) (${TOP_RECORD_K}, ${recordSelector})`;

// The rank by peak of a record over the range, from its top record where that is exact.
export const byRecordPeak =
  (record: string, p: QueryParams, by: string = POD, fromTop = true) =>
  (range: string) => {
    const source = fromTop && p.pod === undefined && topNOf(p) <= TOP_RECORD_K ? topRecordOf(record) : record;
    return `max by (${by}) (max_over_time(${recorded(source, p)}[${range}] @ end()))`;
  };

// The N best-ranked groups of the range, those above 0 only.
export const topRank = (p: QueryParams, rank: (range: string) => string) =>
  `topk(${topNOf(p)}, ${rank(rangeOf(p, '$__range'))} > 0)`;

// Rank by a counter's growth over the range (CPU seconds, packets, bytes).
export const byIncrease = (selector: string) => (range: string) =>
  `sum by (${POD}) (increase(${selector}[${range}] @ end()))`;

// Rank by a gauge's peak over the range (memory, processes, threads).
export const byPeak = (selector: string) => (range: string) =>
  `sum by (${POD}) (max_over_time(${selector}[${range}] @ end()))`;

// The definition entry of a per-pod record's top record, which the panel's topN ranks from.
export function topRecordEntry(panelId: string, title: string, record: string, exporters: Exporter[]): QueryEntry {
  return {
    id: `${panelId}.top.definition`,
    title: `${title}, each namespace's top ${TOP_RECORD_K} (recording rule definition)`,
    description:
      `The ${TOP_RECORD_K} highest pods of ${record} in each namespace, recorded each minute as ` +
      `${topRecordOf(record)}: the panel's top ${TOP_RECORD_K} by peak over a range reads them instead of every pod's ` +
      'series.',
    category: 'workload-resources',
    params: ['cluster', 'namespace', 'pod'],
    unit: 'short',
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['recording-rules', ...exporters],
    related: [panelId],
    recordingRule: topRecordOf(record),
    build: (p) => topRecordDefinition(recorded(record, p)),
  };
}
