import type { SceneObjectUrlValues } from '@grafana/scenes';
import { FALCO_PRIORITIES, FalcoMetricsSource, FalcoPriority, QueryParams } from '../../queries/types';

// The parameters the page's form offers, under the URL keys that carry them.
export const PARAM_URL_KEYS = [
  'cluster',
  'namespace',
  'pod',
  'node',
  'rule',
  'minPriority',
  'interval',
  'topN',
  'falcoSource',
] as const;

const FALCO_SOURCES: FalcoMetricsSource[] = ['native', 'falcosidekick', 'legacy'];

function single(value: SceneObjectUrlValues[string]): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v ? v : undefined;
}

export function paramsToUrl(params: QueryParams): SceneObjectUrlValues {
  const values: SceneObjectUrlValues = {};
  for (const key of PARAM_URL_KEYS) {
    const v = params[key];
    // The page's form only writes literal strings; a template variable never reaches the URL.
    values[key] = v === undefined || typeof v === 'object' ? undefined : String(v);
  }
  return values;
}

// Values a hand-edited link gets wrong (an unknown priority, a topN that is not a positive number) are dropped.
export function paramsFromUrl(values: SceneObjectUrlValues): QueryParams {
  const params: QueryParams = {};
  for (const key of ['cluster', 'namespace', 'pod', 'node', 'rule', 'interval'] as const) {
    const v = single(values[key]);
    if (v !== undefined) {
      params[key] = v;
    }
  }
  const priority = single(values.minPriority);
  if (priority && (FALCO_PRIORITIES as readonly string[]).includes(priority)) {
    params.minPriority = priority as FalcoPriority;
  }
  const topN = Number(single(values.topN));
  if (Number.isInteger(topN) && topN > 0) {
    params.topN = topN;
  }
  const source = single(values.falcoSource);
  if (source && (FALCO_SOURCES as string[]).includes(source)) {
    params.falcoSource = source as FalcoMetricsSource;
  }
  return params;
}

export { single as singleUrlValue };
