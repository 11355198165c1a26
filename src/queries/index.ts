import { apiServerQueries } from './catalog/apiServer';
import { falcoHealthQueries } from './catalog/falcoHealth';
import { falcoRuntimeQueries } from './catalog/falcoRuntime';
import { falcoSelfQueries } from './catalog/falcoSelf';
import { networkQueries } from './catalog/network';
import { podFactQueries } from './catalog/podFacts';
import { podLimitRatioQueries } from './catalog/podLimitRatios';
import { postureQueries } from './catalog/posture';
import { riskQueries } from './catalog/risk';
import { workloadQueries } from './catalog/workloads';
import { recordedEventDefinitions } from './recordedEvents';
import { RECORDING_RULES } from './prometheusRules';
import type { Exporter, QueryEntry, QueryParams } from './types';

// The query library: every PromQL expression of the project comes from an entry here.

export * from './types';
export { EXPORTERS, FALCOSIDEKICK_PROBE } from './exporters';
export { escapePromQLString, escapeRegex, labelMatcher, regexMatcher, selector } from './labels';
export { ALERTS, RECORDING_RULES, alertExpression } from './prometheusRules';
export type { AlertSpec, RecordingRuleSpec } from './prometheusRules';

export const QUERIES: readonly QueryEntry[] = [
  ...falcoRuntimeQueries,
  ...falcoHealthQueries,
  ...workloadQueries,
  ...podLimitRatioQueries,
  ...networkQueries,
  ...apiServerQueries,
  ...postureQueries,
  ...riskQueries,
  ...falcoSelfQueries,
  ...podFactQueries,
  ...recordedEventDefinitions,
];

const BY_ID = new Map(QUERIES.map((q) => [q.id, q]));

export function getQuery(id: string): QueryEntry {
  const entry = BY_ID.get(id);
  if (!entry) {
    throw new Error(`unknown query id "${id}": the query library has no entry with that id`);
  }
  return entry;
}

export function buildQuery(id: string, params: QueryParams = {}): string {
  return getQuery(id).build(params);
}

// The names of this project's records an expression reads, as whole metric names.
export function recordsRead(expr: string): string[] {
  return RECORDING_RULES.map((r) => r.record).filter((record) =>
    new RegExp(`(^|[^A-Za-z0-9_:])${record}(?![A-Za-z0-9_:])`).test(expr)
  );
}

// The query from raw series only: the entry's fallback when it reads a recording rule, else the query itself. Alerts
// use it, so an alert never waits on a record (nor breaks while an older PrometheusRule lacks one).
export function buildRawQuery(id: string, params: QueryParams = {}): string {
  const entry = getQuery(id);
  return (entry.fallback ?? entry.build)(params);
}

export function requiredExporters(id: string, params: QueryParams = {}): Exporter[] {
  return [...new Set(getQuery(id).exporters(params))];
}

// The legendFormat for these parameters (Falco label names depend on the source).
export function legendOf(id: string, params: QueryParams = {}): string | undefined {
  const entry = getQuery(id);
  return entry.legendFor ? entry.legendFor(params) : entry.legend;
}
