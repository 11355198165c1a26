import { sceneGraph, sceneUtils } from '@grafana/scenes';
import { runtimePage } from '../../pages/Runtime/runtimePage';
import { activateTree, settle } from '../testing/grafanaStandIn';
import { standInFalco } from '../testing/falcoStandIn';
import { EventList } from './EventList';

// specPage lists the drilldown views as pod, namespace, rule.
const VIEW = { pod: 0, namespace: 1, rule: 2 };

function openDrilldown(kind: keyof typeof VIEW, path: string, params: Record<string, string>, search: string) {
  const page = runtimePage({ prometheusDatasourceUid: 'prom-prod' });
  const view = page.state.drilldowns![VIEW[kind]];
  const drilldown = view.getPage({ url: `/x/${path}`, path: view.routePath, params, isExact: true }, page);
  const scene = drilldown.getScene({ url: `/x/${path}`, path: view.routePath, params, isExact: true });
  sceneUtils.syncStateFromSearchParams(scene, new URLSearchParams(search));
  activateTree(scene);
  return scene;
}

test.each([
  [
    'pod',
    'namespace/web/pod/nginx-1',
    { namespace: 'web', pod: 'nginx-1' },
    { namespaces: ['web'], pods: ['nginx-1'] },
  ],
  ['namespace', 'namespace/web', { namespace: 'web' }, { namespaces: ['web'] }],
  ['rule', 'rule/Terminal shell', { rule: 'Terminal shell' }, { rules: ['Terminal shell'] }],
] as const)('the %s drilldown opens with the events of its subject', async (kind, path, params, filters) => {
  const falco = standInFalco();
  const scene = openDrilldown(kind, path, params, 'var-minPriority=warning');
  await settle();
  const list = sceneGraph.findObject(scene, (o) => o instanceof EventList) as EventList;
  expect(list).toBeTruthy();
  expect(list.state.page).toBe('runtime');
  const events = falco.queries.filter((q) => q.queryType === 'events');
  expect(events[events.length - 1].filters).toEqual({ ...filters, minPriority: 'warning' });
});

test("a drilldown's event list offers no page filters to narrow (it has none of the Events page's)", async () => {
  standInFalco();
  const scene = openDrilldown('namespace', 'namespace/web', { namespace: 'web' }, '');
  await settle();
  const list = sceneGraph.findObject(scene, (o) => o instanceof EventList) as EventList;
  // The namespace drilldown has a pod picker, but it picks Prometheus pods: the event list does not filter by it.
  expect(sceneGraph.lookupVariable('pod', list)).toBeDefined();
  expect(list.filterable()).toEqual([]);
});
