import { rangeOf } from '../params';
import type { QueryEntry, QueryParams } from '../types';
import { byIncrease, topPods, topRecordedPods } from './topPods';
import { POD, recorded } from './workloadSelectors';

// Per-pod rates recorded every minute (a 5m rate), so a day of a per-pod panel reads one small series per pod instead
// of rating every container's or interface's counter at every step. The raw form stays as the panel's fallback.
export const RECORD_RATE_WINDOW = '5m';

// Rank pods by a recorded rate summed over the range: proportional to the counter's growth, the raw form's rank.
export const bySummedRecord = (recordSelector: string) => (range: string) =>
  `sum by (${POD}) (sum_over_time(${recordSelector}[${range}] @ end()))`;

// The per-pod series panel from its record, with topN's rank from the same record; pod filters apply to the record.
export function recordedPodRate(record: string, p: QueryParams): string {
  rangeOf(p); // the record fixes the rate's window, but a bad interval is still the caller's error, as in the raw form
  return topRecordedPods(recorded(record, p), p, bySummedRecord(recorded(record, p)));
}

// The raw form: the same sum by pod of the counter's rate, ranked by its growth.
export function rawPodRate(selector: (p: QueryParams) => string, p: QueryParams) {
  return topPods('sum', `rate(${selector(p)}[${rangeOf(p)}])`, p, byIncrease(selector(p)));
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
