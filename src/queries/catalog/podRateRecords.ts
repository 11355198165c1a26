import { rangeOf } from '../params';
import type { QueryEntry, QueryParams } from '../types';
import { byIncrease, byRecordPeak, topPods, topRecordedPods } from './topPods';
import { POD, recorded } from './workloadSelectors';

// Per-pod rates recorded every minute (a 5m rate), so a day of a per-pod panel reads one small series per pod instead
// of rating every container's or interface's counter at every step. The raw form stays as the panel's fallback.
export const RECORD_RATE_WINDOW = '5m';
// How often the rule group records (scripts/rules/ruleGroups.ts): the raw peak reads the rate at the same minutes.
const RECORD_EVERY = '1m';

// Rank pods by a recorded rate summed over the range: proportional to the counter's growth, the raw form's rank.
export const bySummedRecord = (recordSelector: string) => (range: string) =>
  `sum by (${POD}) (sum_over_time(${recordSelector}[${range}] @ end()))`;

// The per-pod series panel from its record, with topN's rank from the same record; pod filters apply to the record.
// `peak` ranks by the highest rate in the range instead of the growth, from the record's top record (topPods.ts).
export function recordedPodRate(record: string, p: QueryParams, peak = false): string {
  rangeOf(p); // the record fixes the rate's window, but a bad interval is still the caller's error, as in the raw form
  const rank = peak ? byRecordPeak(record, p, POD, true) : bySummedRecord(recorded(record, p));
  return topRecordedPods(recorded(record, p), p, rank);
}

// The raw form: the same sum by pod of the counter's rate, ranked by its growth, or with `peak` by the pod's highest
// rate at each minute of the range (a subquery: slow, as the raw form is, but the same pods as the record's rank).
export function rawPodRate(selector: (p: QueryParams) => string, p: QueryParams, peak = false) {
  const rate = `rate(${selector(p)}[${rangeOf(p)}])`;
  const rank = peak
    ? (range: string) => `max_over_time(sum by (${POD}) (${rate})[${range}:${RECORD_EVERY}] @ end())`
    : byIncrease(selector(p));
  return topPods('sum', rate, p, rank);
}

export interface PodRateRecord {
  metric: string;
  record: string;
  definitionId: string;
}

export const podRateRecord = (metric: string, idPrefix: string): PodRateRecord => ({
  metric,
  record: `containersec:pod_${metric.replace(/^container_/, '').replace(/_total$/, '')}:rate5m`,
  definitionId: `${idPrefix}.definition`,
});

// The definition entry of a per-pod rate record.
export function podRateDefinition(
  r: PodRateRecord,
  title: string,
  unit: string,
  rate: (p: QueryParams) => string
): QueryEntry {
  return {
    id: r.definitionId,
    title: `${title} (recording rule definition)`,
    description: `${title} per pod, a ${RECORD_RATE_WINDOW} rate of ${r.metric} (cAdvisor), recorded as ${r.record} for the per-pod panel.`,
    category: 'network',
    params: ['cluster', 'namespace', 'pod', 'interval'],
    unit,
    visualization: 'timeseries',
    legend: '{{namespace}}/{{pod}}',
    exporters: () => ['cadvisor'],
    related: [],
    recordingRule: r.record,
    build: rate,
  };
}
