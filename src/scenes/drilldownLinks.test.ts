import { FieldType, toDataFrame } from '@grafana/data';
import {
  CustomVariable,
  EmbeddedScene,
  SceneFlexLayout,
  SceneTimeRange,
  SceneVariableSet,
  sceneGraph,
} from '@grafana/scenes';
import { carriedQuery, drilldownLink, pageLink, subjectLabels } from './drilldownLinks';

// A scene with the time range and page variables a link reads when Grafana fills it in.
function sceneWithVariables() {
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-3h', to: 'now' }),
    $variables: new SceneVariableSet({
      variables: [
        new CustomVariable({ name: 'datasource', query: 'prom-prod', value: 'prom-prod', text: 'prom-prod' }),
        new CustomVariable({ name: 'cluster', query: 'eu-1', value: 'eu-1', text: 'eu-1' }),
        new CustomVariable({
          name: 'falcoSource',
          query: 'falcosidekick',
          value: 'falcosidekick',
          text: 'falcosidekick',
        }),
        new CustomVariable({ name: 'minPriority', query: 'warning', value: 'warning', text: 'warning' }),
      ],
    }),
    body: new SceneFlexLayout({ children: [] }),
  });
}

// Grafana's interpolation of a link for one clicked series (timeseries) or row (table).
function clicked(url: string, frame = toDataFrame({ fields: [] }), fieldIndex = 0, rowIndex = 0) {
  const scene = sceneWithVariables();
  scene.activate();
  const field = frame.fields[fieldIndex];
  return sceneGraph.interpolate(scene, url, {
    __dataContext: { value: { frame, field, rowIndex, data: [frame] } },
  } as any);
}

test('the subject labels are the labels the legend shows, else the real labels of the exporter', () => {
  expect(subjectLabels(['falcosidekick'], '{{k8s_ns_name}}/{{k8s_pod_name}}')).toEqual({
    namespace: 'k8s_ns_name',
    pod: 'k8s_pod_name',
  });
  expect(subjectLabels(['recording-rules', 'falcosidekick'], '{{namespace}}/{{pod}}')).toEqual({
    namespace: 'namespace',
    pod: 'pod',
  });
  expect(subjectLabels(['falcosidekick'], '{{rule}} ({{priority_raw}})')).toEqual({ rule: 'rule' });
  expect(subjectLabels(['falcosidekick'])).toEqual({
    namespace: 'k8s_ns_name',
    pod: 'k8s_pod_name',
    rule: 'rule',
  });
  expect(subjectLabels(['falco'])).toEqual({ rule: 'rule_name' });
  expect(subjectLabels(['recording-rules', 'falcosidekick'])).toEqual({ namespace: 'namespace', pod: 'pod' });
  expect(subjectLabels(['cadvisor', 'kube-state-metrics'])).toEqual({ namespace: 'namespace', pod: 'pod' });
});

test('a series link opens the pod drilldown under its namespace with the time range and filters', () => {
  const link = drilldownLink('pod', 'overview', { namespace: 'namespace', pod: 'pod' }, 'timeseries', [
    'datasource',
    'cluster',
    'namespace',
    'pod',
  ])!;
  const frame = toDataFrame({
    fields: [{ name: 'Value', type: FieldType.number, values: [1], labels: { namespace: 'shop', pod: 'web 1/a' } }],
  });
  expect(clicked(link.url, frame)).toBe(
    '/a/containersec-security-app/overview/namespace/shop/pod/web%201%2Fa?from=now-3h&to=now&timezone=browser&var-datasource=prom-prod&var-cluster=eu-1'
  );
});

test('a table row link opens the rule drilldown with the rule from the row, encoded for the path', () => {
  const link = drilldownLink('rule', 'runtime', { rule: 'rule_name' }, 'table', [
    'datasource',
    'cluster',
    'falcoSource',
    'minPriority',
  ])!;
  const frame = toDataFrame({
    fields: [
      { name: 'rule_name', type: FieldType.string, values: ['Other rule', 'Terminal shell in container'] },
      { name: 'Value', type: FieldType.number, values: [3, 7] },
    ],
  });
  expect(clicked(link.url, frame, 1, 1)).toBe(
    '/a/containersec-security-app/runtime/rule/Terminal%20shell%20in%20container' +
      '?from=now-3h&to=now&timezone=browser&var-datasource=prom-prod&var-cluster=eu-1&var-falcoSource=falcosidekick&var-minPriority=warning'
  );
});

test('falcosidekick rows open the namespace drilldown by k8s_ns_name', () => {
  const link = drilldownLink('namespace', 'overview', { namespace: 'k8s_ns_name' }, 'table', ['datasource'])!;
  const frame = toDataFrame({ fields: [{ name: 'k8s_ns_name', type: FieldType.string, values: ['payments'] }] });
  expect(clicked(link.url, frame)).toBe(
    '/a/containersec-security-app/overview/namespace/payments?from=now-3h&to=now&timezone=browser&var-datasource=prom-prod'
  );
});

test('no pod link from series that carry no pod label', () => {
  expect(drilldownLink('pod', 'runtime', { rule: 'rule_name' }, 'timeseries', ['datasource'])).toBeUndefined();
});

test('a single number links to the page that explains it, with the same filters', () => {
  const link = pageLink('runtime', 'Critical and above', ['datasource', 'falcoSource']);
  expect(link.title).toBe('Open Critical and above');
  expect(clicked(link.url)).toBe(
    '/a/containersec-security-app/runtime?from=now-3h&to=now&timezone=browser&var-datasource=prom-prod&var-falcoSource=falcosidekick'
  );
  expect(carriedQuery([])).toBe('${__url_time_range}');
});
