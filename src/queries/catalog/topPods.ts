import { rangeOf, topNOf } from '../params';
import type { QueryParams } from '../types';
import { POD } from './workloadSelectors';

// With topN, a per-pod series query keeps only the N pods with the most over the whole range: seventy pods' lines are
// unreadable, and the pod an analyst looks for is the one at the top. The rank is evaluated once, at the range's end
// (@ end()), so every step of a range query draws the same pods; its range is the dashboard's ($__range), or the
// interval parameter when one is given.
export function topPods(expr: string, p: QueryParams, rank: (range: string) => string): string {
  if (p.topN === undefined) {
    return expr;
  }
  // > 0: a pod that used nothing in the range is no top pod, however few pods used anything.
  return `${expr} and on (${POD}) topk(${topNOf(p)}, ${rank(rangeOf(p, '$__range'))} > 0)`;
}

// Rank by a counter's growth over the range (CPU seconds, packets, bytes).
export const byIncrease = (selector: string) => (range: string) =>
  `sum by (${POD}) (increase(${selector}[${range}] @ end()))`;

// Rank by a gauge's peak over the range (memory, processes, threads).
export const byPeak = (selector: string) => (range: string) =>
  `sum by (${POD}) (max_over_time(${selector}[${range}] @ end()))`;
