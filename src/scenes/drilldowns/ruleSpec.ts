import type { PageSpec } from '../spec';

// One Falco rule: how often it matched, at which priorities, where it fired and its tags.
export const ruleDrilldownSpec: PageSpec = {
  id: 'rule',
  title: 'Rule',
  description: 'Matches of one Falco rule over time, its priorities and tags, and the namespaces and pods it fired in',
  variables: ['datasource', 'cluster', 'rule', 'falcoSource', 'minPriority'],
  deployAnnotations: true,
  rows: [
    {
      title: 'Matches',
      panels: [
        { title: 'Matches', queryId: 'falco.events.total', visualization: 'timeseries', width: 12, height: 8 },
        { title: 'Matches by priority', queryId: 'falco.events.by_priority', width: 12, height: 8 },
        // Over time, not as tables: an instant rate at the end of the range reads 0 for a rule that fired earlier in it.
        { title: 'Tags', queryId: 'falco.events.by_tag', width: 12, height: 8 },
        { title: 'Sources', queryId: 'falco.events.by_source', width: 12, height: 8 },
        {
          title: 'Namespaces it fired in (falcosidekick)',
          queryId: 'falco.events.by_namespace',
          width: 12,
          height: 8,
          drilldown: 'namespace',
        },
        {
          title: 'Pods it fired in (falcosidekick)',
          queryId: 'falco.events.by_pod',
          width: 12,
          height: 8,
          drilldown: 'pod',
        },
      ],
    },
  ],
};
