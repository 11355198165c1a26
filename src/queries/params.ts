import { FALCO_PRIORITIES, type FalcoMetricsSource, type FalcoPriority, type QueryParams } from './types';

// Validation and defaults for the non-label parameters; a bad value throws an error that names it.

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const GRAFANA_VARIABLE = /^\$(__rate_interval|__interval|__range|[A-Za-z_][A-Za-z0-9_]*)$/;

export const DEFAULT_INTERVAL = '$__rate_interval';
export const DEFAULT_TOP_N = 10;

// The range of rate()/increase(): a PromQL duration or a Grafana variable such as $__rate_interval.
export function rangeOf(p: QueryParams, fallback: string = DEFAULT_INTERVAL): string {
  const interval = p.interval ?? fallback;
  if (!DURATION.test(interval) && !GRAFANA_VARIABLE.test(interval)) {
    throw new Error(
      `invalid interval "${interval}": use a PromQL duration such as 5m or a variable such as $__rate_interval`
    );
  }
  return interval;
}

export function topNOf(p: QueryParams): number {
  const n = p.topN ?? DEFAULT_TOP_N;
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new Error(`invalid topN ${n}: use a whole number from 1 to 1000`);
  }
  return n;
}

export function falcoSourceOf(p: QueryParams): FalcoMetricsSource {
  const source = p.falcoSource ?? 'native';
  if (source !== 'native' && source !== 'falcosidekick' && source !== 'legacy') {
    throw new Error(`invalid falcoSource "${String(source)}": use native, falcosidekick or legacy`);
  }
  return source;
}

// Index in FALCO_PRIORITIES (0 = emergency ... 7 = debug), or undefined when every priority is wanted.
export function minPriorityIndex(p: QueryParams): number | undefined {
  if (p.minPriority === undefined) {
    return undefined;
  }
  const index = FALCO_PRIORITIES.indexOf(p.minPriority as FalcoPriority);
  if (index < 0) {
    throw new Error(`invalid minPriority "${String(p.minPriority)}": use one of ${FALCO_PRIORITIES.join(', ')}`);
  }
  return index;
}
