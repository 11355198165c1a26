import { setTemplateSrv } from '@grafana/runtime';
import {
  CustomVariable,
  EmbeddedScene,
  SceneFlexLayout,
  SceneVariableSet,
  TextBoxVariable,
  sceneGraph,
} from '@grafana/scenes';
import { DataSource } from './datasource';
import { FalcoQuery } from './types';

const ds = new DataSource({
  id: 1,
  uid: 'falco',
  type: 'containersec-falco-datasource',
  name: 'Falco',
  jsonData: {},
} as any);

// Variables as the Events page and user dashboards hold them; interpolation is scenes' own, as in Grafana.
function sceneWith(values: Record<string, string | string[]>, allValue?: string) {
  const variables = Object.entries(values).map(([name, value]) =>
    name === 'text'
      ? new TextBoxVariable({ name, value: String(value) })
      : new CustomVariable({
          name,
          query: '',
          isMulti: true,
          includeAll: true,
          allValue,
          value,
          text: value,
        })
  );
  const scene = new EmbeddedScene({
    $variables: new SceneVariableSet({ variables }),
    body: new SceneFlexLayout({ children: [] }),
  });
  setTemplateSrv({
    replace: (target?: string, scopedVars?: any, format?: any) =>
      sceneGraph.interpolate(scene, target, scopedVars, format),
  } as any);
  return scene;
}

test('only queries of a known type are sent to the backend', () => {
  expect(ds.filterQuery({ refId: 'A', queryType: 'storeStatus' })).toBe(true);
  for (const t of ['events', 'eventCounts', 'eventValues', 'event', 'rules'] as const) {
    expect(ds.filterQuery({ refId: 'A', queryType: t })).toBe(true);
  }
  expect(ds.filterQuery({ refId: 'A', queryType: 'nope' as any })).toBe(false);
  expect(ds.filterQuery({ refId: 'A' })).toBe(false);
  expect(ds.filterQuery({ refId: 'A', queryType: 'storeStatus', hide: true })).toBe(false);
});

test('a multi-value variable becomes one list entry per value, even when a value holds a comma', () => {
  sceneWith({ rule: ['Terminal shell in container', 'Read sensitive file, untrusted'], namespace: ['web'] });
  const q: FalcoQuery = {
    refId: 'A',
    queryType: 'events',
    filters: { rules: ['$rule'], namespaces: ['${namespace}', 'kube-system'] },
  };
  expect(ds.applyTemplateVariables(q, {}).filters).toEqual({
    rules: ['Terminal shell in container', 'Read sensitive file, untrusted'],
    namespaces: ['web', 'kube-system'],
  });
});

test('"All" drops the filter instead of sending the page\'s option list', () => {
  sceneWith({ namespace: ['$__all'], pod: ['$__all'] }, '$__all');
  const q: FalcoQuery = { refId: 'A', queryType: 'events', filters: { namespaces: ['$namespace'], pods: ['$pod'] } };
  expect(ds.applyTemplateVariables(q, {}).filters).toEqual({});
});

test('minimum priority, cluster and text are single values; "all" priorities is no filter', () => {
  sceneWith({ minPriority: 'critical', cluster: 'prod-eu', text: '  /etc/shadow ' });
  const q: FalcoQuery = {
    refId: 'A',
    queryType: 'eventCounts',
    groupBy: 'priority',
    filters: { minPriority: '$minPriority', cluster: '$cluster', text: '$text' },
  };
  expect(ds.applyTemplateVariables(q, {})).toEqual({
    refId: 'A',
    queryType: 'eventCounts',
    groupBy: 'priority',
    filters: { minPriority: 'critical', cluster: 'prod-eu', text: '/etc/shadow' },
  });
  sceneWith({ minPriority: 'all' });
  expect(ds.applyTemplateVariables({ refId: 'A', filters: { minPriority: '$minPriority' } }, {}).filters).toEqual({});
});

test('empty values and empty variables are dropped; literal text is kept as typed', () => {
  sceneWith({ tag: [] as string[], text: '' });
  const q: FalcoQuery = {
    refId: 'A',
    queryType: 'events',
    filters: { tags: ['$tag', ''], text: '$text', sources: ['syscall'], hostnames: ['node-$tag'] },
  };
  expect(ds.applyTemplateVariables(q, {}).filters).toEqual({ sources: ['syscall'], hostnames: ['node-'] });
});

test('values that look like variables or markup reach the backend unchanged', () => {
  sceneWith({ pod: ['<img src=x onerror=alert(1)>', 'a"b'] });
  const q: FalcoQuery = { refId: 'A', queryType: 'events', filters: { pods: ['$pod'], text: '$notAVariable' } };
  expect(ds.applyTemplateVariables(q, {}).filters).toEqual({
    pods: ['<img src=x onerror=alert(1)>', 'a"b'],
    text: '$notAVariable',
  });
});

test('the event id is interpolated; a query without filters stays without', () => {
  sceneWith({ id: 'abc-123' });
  expect(ds.applyTemplateVariables({ refId: 'A', queryType: 'event', id: '$id' }, {})).toEqual({
    refId: 'A',
    queryType: 'event',
    id: 'abc-123',
  });
});

test('scoped variables (a repeated panel) win over the page variable', () => {
  sceneWith({ namespace: ['web'] });
  const q: FalcoQuery = { refId: 'A', queryType: 'events', filters: { namespaces: ['$namespace'] } };
  expect(ds.applyTemplateVariables(q, { namespace: { text: 'db', value: 'db' } }).filters).toEqual({
    namespaces: ['db'],
  });
});

test("template variables list a field's values through eventValues", () => {
  const support = ds.variables as any;
  expect(support.toDataQuery({ refId: 'V', query: 'namespace' })).toMatchObject({
    refId: 'V',
    queryType: 'eventValues',
    field: 'namespace',
  });
  expect(support.toDataQuery({ refId: 'V', field: 'pod', filters: { namespaces: ['web'] } })).toEqual({
    refId: 'V',
    queryType: 'eventValues',
    field: 'pod',
    filters: { namespaces: ['web'] },
  });
  expect(support.toDataQuery({ refId: 'V', query: 'nonsense' }).field).toBe('rule');
});

test('deploy annotations use Grafana’s standard annotation support and take the rule from a variable', () => {
  // scenes' executeAnnotationQuery falls back to the legacy annotationQuery only when a datasource has no `annotations`.
  expect(ds.annotations).toBeDefined();
  expect(ds.filterQuery({ refId: 'Anno', queryType: 'deployAnnotations' })).toBe(true);
  sceneWith({ rule: ['Read sensitive file, untrusted'] });
  expect(ds.applyTemplateVariables({ refId: 'Anno', queryType: 'deployAnnotations', rule: '$rule' }, {})).toEqual({
    refId: 'Anno',
    queryType: 'deployAnnotations',
    rule: 'Read sensitive file, untrusted',
  });
});
