import { getQuery } from '../queries';
import { panelQueryParams, type PanelContext, type QueryShape } from './queryParams';

const ctx: PanelContext = { page: 'runtime', variables: ['cluster', 'falcoSource', 'minPriority'], subject: {} };
const panel = { title: 'Events by rule', queryId: 'falco.events.by_rule' };
const entry = getQuery(panel.queryId);

// var-falcoSource and var-minPriority are whatever a link says; Grafana keeps a value no option matches.
test.each<[string, QueryShape]>([
  ['unknown source', { falcoSource: 'evil"}' as QueryShape['falcoSource'] }],
  ['unknown priority', { minPriority: 'bogus' as QueryShape['minPriority'] }],
  ['inherited property name', { minPriority: 'constructor' as QueryShape['minPriority'] }],
])('a link with an %s falls back to the default query instead of failing', (_, shape) => {
  const params = panelQueryParams(entry, panel, ctx, shape);
  expect(() => entry.build(params)).not.toThrow();
  expect(entry.build(params)).toBe(entry.build(panelQueryParams(entry, panel, ctx, {})));
});

test('known shape values still reach the query', () => {
  const params = panelQueryParams(entry, panel, ctx, { falcoSource: 'falcosidekick', minPriority: 'critical' });
  expect(params).toMatchObject({ falcoSource: 'falcosidekick', minPriority: 'critical' });
});

test('the pod variable at All is no pod filter; a drilldown subject pod still is', () => {
  const resources: PanelContext = { page: 'resources', variables: ['cluster', 'namespace', 'pod'], subject: {} };
  const ratio = { title: 'CPU use of limit by pod', queryId: 'workload.cpu.limit_ratio.by_pod' };
  const byPod = getQuery(ratio.queryId);
  expect(panelQueryParams(byPod, ratio, resources, { allPods: true }).pod).toBeUndefined();
  expect(panelQueryParams(byPod, ratio, resources, {}).pod).toEqual({ variable: 'pod' });
  const drilldown = { ...resources, subject: { pod: 'api-0' } };
  expect(panelQueryParams(byPod, ratio, drilldown, { allPods: true }).pod).toBe('api-0');
});
