import { CustomVariable, QueryVariable, SceneVariableSet, TextBoxVariable } from '@grafana/scenes';
import { ANY_VALUE } from '../../datasource/interpolate';
import { FALCO_PRIORITIES } from '../../queries/types';
import { QueryType, ValueField } from '../../datasource/types';
import { eventsDatasource } from '../../scenes/events/eventQueries';
import { ALL_PRIORITIES } from '../../scenes/variables';

// A picker whose options are the values Falco events in the time range have (eventValues), most frequent first.
// "All" is ANY_VALUE, which the datasource drops: all events, not only those with a listed value.
function valuesVariable(name: string, label: string, field: ValueField) {
  return new QueryVariable({
    name,
    label,
    datasource: eventsDatasource(),
    query: { refId: `${name}-values`, queryType: QueryType.EventValues, field },
    isMulti: true,
    includeAll: true,
    defaultToAll: true,
    allValue: ANY_VALUE,
    refresh: 2, // on time range change
  });
}

// The Events page's filter bar, URL-synced as var-<name> (events-api.md): the keys links to this page use.
export function eventFilterVariables() {
  return new SceneVariableSet({
    variables: [
      // Same name and values as the minimum priority of the metric pages, so a link carries it unchanged.
      new CustomVariable({
        name: 'minPriority',
        label: 'Minimum priority',
        query: [ALL_PRIORITIES, ...FALCO_PRIORITIES].join(','),
        value: ALL_PRIORITIES,
        text: ALL_PRIORITIES,
      }),
      valuesVariable('rule', 'Rule', 'rule'),
      valuesVariable('namespace', 'Namespace', 'namespace'),
      valuesVariable('pod', 'Pod', 'pod'),
      valuesVariable('hostname', 'Hostname', 'hostname'),
      valuesVariable('source', 'Source', 'source'),
      valuesVariable('tag', 'Tag', 'tag'),
      new TextBoxVariable({ name: 'text', label: 'Text', value: '' }),
    ],
  });
}
