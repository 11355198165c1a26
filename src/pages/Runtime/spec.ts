import type { PageSpec } from '../../scenes/spec';
import { BAD_FROM_ONE } from '../../scenes/valueColors';

// What Falco saw: events by priority, rule, source and tag, and the rules table that drills into one rule.
export const runtimeSpec: PageSpec = {
  id: 'runtime',
  title: 'Runtime',
  description: 'Falco rule matches by priority, rule, source and MITRE tactic, and Falco health',
  variables: ['datasource', 'cluster', 'falcoSource', 'minPriority'],
  deployAnnotations: true,
  rows: [
    {
      title: 'Events over time',
      panels: [
        // Per-interval counts added up: the events of the whole range, first events included.
        {
          title: 'All events',
          queryId: 'falco.events.total',
          visualization: 'stat',
          reduce: 'sum',
          width: 6,
          height: 8,
        },
        { title: 'Events by priority', queryId: 'falco.events.by_priority', width: 18, height: 8 },
        { title: 'Events by rule', queryId: 'falco.events.by_rule', width: 12, height: 8, drilldown: 'rule' },
        { title: 'Events by source', queryId: 'falco.events.by_source', width: 12, height: 8 },
        { title: 'Events by tag', queryId: 'falco.events.by_tag', width: 12, height: 8 },
        // Over time: a bar gauge of the instant rate at the end of the range shows 0 for an attack earlier in it.
        {
          title: 'Events by MITRE ATT&CK tactic',
          queryId: 'falco.events.by_mitre_tactic',
          visualization: 'timeseries',
          width: 12,
          height: 8,
        },
      ],
    },
    {
      title: 'Rules',
      panels: [
        {
          title: 'Rules that fired',
          queryId: 'falco.rules.top',
          params: { topN: 50 },
          visualization: 'table',
          width: 24,
          height: 10,
          drilldown: 'rule',
        },
      ],
    },
    {
      title: 'Falco health',
      panels: [
        { title: 'Falco up by node', queryId: 'falco.health.up_by_node', width: 8, height: 7 },
        {
          title: 'Nodes without Falco',
          queryId: 'falco.health.nodes_missing',
          visualization: 'stat',
          thresholds: BAD_FROM_ONE,
          width: 4,
          height: 7,
        },
        { title: 'Falco versions', queryId: 'falco.health.versions', visualization: 'table', width: 12, height: 7 },
        { title: 'Kernel drops', queryId: 'falco.health.kernel_drops', width: 8, height: 7 },
        { title: 'Queue drops', queryId: 'falco.health.queue_drops', width: 8, height: 7 },
        { title: 'Rules file changes', queryId: 'falco.health.rules_file_changes', width: 8, height: 7 },
        // Falco's own footprint and load, as the Falco chart's dashboard shows them.
        { title: 'Falco CPU', queryId: 'falco.health.cpu', width: 6, height: 7 },
        { title: 'Falco memory', queryId: 'falco.health.memory', width: 6, height: 7 },
        { title: 'Kernel events inspected', queryId: 'falco.health.event_rate', width: 6, height: 7 },
        { title: 'Kernel drops by type', queryId: 'falco.health.drops_by_type', width: 6, height: 7 },
      ],
    },
  ],
};
