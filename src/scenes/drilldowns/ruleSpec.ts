import type { PageSpec } from '../spec';

// One Falco rule: how often it matched, at which priorities, where it fired and its tags.
export const ruleDrilldownSpec: PageSpec = {
  id: 'rule',
  title: 'Rule',
  description: 'Matches of one Falco rule over time, its priorities and tags, and the namespaces and pods it fired in',
  variables: ['datasource', 'cluster', 'rule', 'falcoSource', 'minPriority'],
  rows: [
    {
      title: 'Matches',
      panels: [
        { title: 'Matches', queryId: 'falco.events.total', visualization: 'timeseries', width: 12, height: 8 },
        { title: 'Matches by priority', queryId: 'falco.events.by_priority', width: 12, height: 8 },
        { title: 'Tags', queryId: 'falco.events.by_tag', visualization: 'table', width: 8, height: 8 },
        { title: 'Sources', queryId: 'falco.events.by_source', visualization: 'table', width: 4, height: 8 },
        {
          title: 'Namespaces it fired in (falcosidekick)',
          queryId: 'falco.events.by_namespace',
          visualization: 'table',
          width: 6,
          height: 8,
          drilldown: 'namespace',
        },
        {
          title: 'Pods it fired in (falcosidekick)',
          queryId: 'falco.events.by_pod',
          visualization: 'table',
          width: 6,
          height: 8,
          drilldown: 'pod',
        },
      ],
    },
  ],
};
