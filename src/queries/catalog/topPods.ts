import { rangeOf, topNOf } from '../params';
import type { QueryParams } from '../types';
import { POD } from './workloadSelectors';

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

// A per-pod (or per-container, `by`) record has one series per group already: without topN it is read as it is, not
// aggregated (at 50,000 series, 650 pods' `max by` at 1,440 steps took 0.75 s, the selector alone 0.1 s); its series
// keep the record's name.
export function topRecordedPods(
  recordSelector: string,
  p: QueryParams,
  rank: (range: string) => string,
  by: string = POD
): string {
  if (p.topN === undefined) {
    return recordSelector;
  }
  return topPods('max', recordSelector, p, rank, by);
}

// The N best-ranked groups of the range, those above 0 only.
export const topRank = (p: QueryParams, rank: (range: string) => string) =>
  `topk(${topNOf(p)}, ${rank(rangeOf(p, '$__range'))} > 0)`;

// Rank by a counter's growth over the range (CPU seconds, packets, bytes).
export const byIncrease = (selector: string) => (range: string) =>
  `sum by (${POD}) (increase(${selector}[${range}] @ end()))`;

// Rank by a gauge's peak over the range (memory, processes, threads).
export const byPeak = (selector: string) => (range: string) =>
  `sum by (${POD}) (max_over_time(${selector}[${range}] @ end()))`;
