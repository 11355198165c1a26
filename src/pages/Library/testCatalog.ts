import type { QueryEntry, QueryParams } from '../../queries/types';
import type { LibraryCatalog } from './catalogTypes';

// Test input only: three entries of different categories and exporters, so filters and marks have something to tell apart.
function entry(partial: Partial<QueryEntry> & Pick<QueryEntry, 'id' | 'category' | 'build' | 'exporters'>): QueryEntry {
  return {
    title: partial.id,
    description: '',
    params: [],
    unit: 'short',
    visualization: 'timeseries',
    related: [],
    ...partial,
  };
}

const falcoMetric = (p: QueryParams) =>
  p.falcoSource === 'falcosidekick'
    ? 'falcosecurity_falcosidekick_falco_events_total'
    : 'falcosecurity_falco_rules_matches_total';

export const byPriority = entry({
  id: 'falco.events.by_priority',
  title: 'Falco events by priority',
  description: 'Rule matches per priority: a rise in critical events means an attack in progress.',
  category: 'falco-runtime',
  params: ['falcoSource', 'interval'],
  unit: 'ops',
  legend: '{{priority}}',
  related: ['workload.restarts'],
  exporters: (p) => [p.falcoSource === 'falcosidekick' ? 'falcosidekick' : 'falco'],
  build: (p) => `sum by (priority) (rate(${falcoMetric(p)}[${p.interval ?? '$__rate_interval'}]))`,
});

export const restarts = entry({
  id: 'workload.restarts',
  title: 'Container restarts',
  description: 'Restarting containers, often a crash after tampering.',
  category: 'workload-resources',
  params: ['namespace'],
  exporters: () => ['kube-state-metrics'],
  build: (p) =>
    `sum(kube_pod_container_status_restarts_total${p.namespace ? `{namespace="${String(p.namespace)}"}` : ''})`,
});

export const kyvernoViolations = entry({
  id: 'posture.kyverno.violations',
  title: 'Kyverno policy violations',
  description: 'Failed admission policy results from Kyverno.',
  category: 'posture',
  visualization: 'table',
  exporters: () => ['kyverno'],
  build: () => 'sum by (policy_name) (kyverno_policy_results_total{rule_result="fail"})',
});

export const testCatalog: LibraryCatalog = {
  entries: [byPriority, restarts, kyvernoViolations],
  build: (e, p) => e.build(p),
  legend: (e, p) => (e.id === byPriority.id && p.falcoSource === 'falcosidekick' ? '{{priority_raw}}' : e.legend),
};
