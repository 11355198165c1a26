import { SceneObject, sceneGraph, sceneUtils } from '@grafana/scenes';
import { overviewPage } from '../../pages/Overview/overviewPage';
import { runtimePage } from '../../pages/Runtime/runtimePage';
import { LazySceneBody } from '../LazySceneBody';
import { LibraryPanel } from '../LibraryPanel';
import { activateTree, PROMETHEUS, settle, standInGrafana } from '../testing/grafanaStandIn';
import { EventsPanelLink } from './EventsPanelLink';
import { eventsUrl } from './eventsLinks';

jest.mock('../exporterPresence', () => ({
  ...jest.requireActual('../exporterPresence'),
  missingExporters: async () => [],
  missingRecords: async () => [],
}));

test('a series link sets the filter its labels name; the page carries minimum priority, namespace and pod', () => {
  const ctx = { page: 'runtime', variables: ['datasource', 'minPriority', 'namespace'] as any, subject: {} };
  expect(eventsUrl(ctx, '{{rule_name}}', 'timeseries')).toBe(
    '/a/containersec-security-app/events?${__url_time_range}&var-rule=${__field.labels.rule_name:percentencode}' +
      '&${minPriority:queryparam}&${namespace:queryparam}'
  );
  // A table row's value comes from its column; the clicked namespace wins over the page's namespace variable.
  // falcosidekick's priority_raw is the Events page's value ("critical"): a series by priority sets that threshold.
  expect(eventsUrl(ctx, '{{priority_raw}}', 'timeseries')).toContain(
    '&var-minPriority=${__field.labels.priority_raw:percentencode}&${namespace:queryparam}'
  );
  expect(eventsUrl(ctx, '{{k8s_ns_name}}/{{k8s_pod_name}}', 'table')).toBe(
    '/a/containersec-security-app/events?${__url_time_range}&var-namespace=${__data.fields.k8s_ns_name:percentencode}' +
      '&var-pod=${__data.fields.k8s_pod_name:percentencode}&${minPriority:queryparam}'
  );
});

test("a drilldown's subject travels as a literal, encoded", () => {
  const ctx = {
    page: 'runtime',
    variables: ['minPriority'] as any,
    subject: { rule: 'Read sensitive file, untrusted & co' },
  };
  expect(eventsUrl(ctx)).toBe(
    '/a/containersec-security-app/events?${__url_time_range}&var-rule=Read%20sensitive%20file%2C%20untrusted%20%26%20co&${minPriority:queryparam}'
  );
});

async function openRuleDrilldown(rule: string, search: string) {
  standInGrafana();
  const page = runtimePage({ prometheusDatasourceUid: PROMETHEUS.uid });
  const view = page.state.drilldowns![2];
  const match = { url: '/x', path: view.routePath, params: { rule }, isExact: true };
  const scene = view.getPage(match, page).getScene(match);
  sceneUtils.syncStateFromSearchParams(scene, new URLSearchParams(search));
  activateTree(scene);
  const body = sceneGraph.findObject(scene, (o) => o instanceof LazySceneBody) as LazySceneBody;
  activateTree((await body.loaded())!);
  await settle();
  return scene;
}

const panelFor = (scene: SceneObject, title: string) =>
  sceneGraph.findObject(scene, (o) => o instanceof LibraryPanel && o.state.spec.title === title) as LibraryPanel;

test('panels counting Falco events link to their events with the same time range and filters', async () => {
  const scene = await openRuleDrilldown('Terminal shell in container', 'from=now-3h&to=now&var-minPriority=warning');
  const pods = panelFor(scene, 'Pods it fired in (falcosidekick)').state.panel!;
  const links = pods.state.fieldConfig.defaults.links ?? [];
  const events = links.find((l) => l.title === 'Show these Falco events');
  expect(events?.url).toContain('var-namespace=${__field.labels.k8s_ns_name:percentencode}');
  expect(events?.url).toContain('var-pod=${__field.labels.k8s_pod_name:percentencode}');
  expect(events?.url).toContain('var-rule=Terminal%20shell%20in%20container');

  const header = pods.state.titleItems as EventsPanelLink;
  expect(header).toBeInstanceOf(EventsPanelLink);
  const url = sceneGraph.interpolate(header, header.state.url);
  const params = new URLSearchParams(url.split('?')[1]);
  expect(url.startsWith('/a/containersec-security-app/events?')).toBe(true);
  expect(params.get('from')).toBe('now-3h');
  expect(params.get('to')).toBe('now');
  expect(params.get('var-minPriority')).toBe('warning');
  expect(params.get('var-rule')).toBe('Terminal shell in container');
});

test('panels that do not count Falco events (Falco health) get no events link', async () => {
  standInGrafana();
  const page = runtimePage({ prometheusDatasourceUid: PROMETHEUS.uid });
  const scene = page.getScene({ url: page.state.url, path: page.state.routePath!, params: {}, isExact: true });
  activateTree(scene);
  const body = sceneGraph.findObject(scene, (o) => o instanceof LazySceneBody) as LazySceneBody;
  activateTree((await body.loaded())!);
  await settle();
  const panels = sceneGraph.findAllObjects(scene, (o) => o instanceof LibraryPanel) as LibraryPanel[];
  const linked = (p: LibraryPanel) =>
    (p.state.panel?.state.fieldConfig.defaults.links ?? []).some((l) => l.title === 'Show these Falco events');
  expect(panels.filter(linked).map((p) => p.state.spec.title)).toContain('Events by rule');
  expect(panels.filter((p) => !linked(p)).map((p) => p.state.spec.title)).toContain('Kernel drops');
  for (const p of panels) {
    expect(linked(p)).toBe(p.entry.category === 'falco-runtime');
    expect(p.state.panel?.state.titleItems instanceof EventsPanelLink).toBe(linked(p));
  }
});

test('the Critical stat is one click to Critical and above over its range, whatever the page minimum priority', async () => {
  standInGrafana();
  const page = overviewPage({ prometheusDatasourceUid: PROMETHEUS.uid, falcoDatasourceUid: 'falco-prod' });
  const scene = page.getScene({ url: page.state.url, path: page.state.routePath!, params: {}, isExact: true });
  sceneUtils.syncStateFromSearchParams(scene, new URLSearchParams('from=now-24h&to=now&var-minPriority=warning'));
  activateTree(scene);
  const body = sceneGraph.findObject(scene, (o) => o instanceof LazySceneBody) as LazySceneBody;
  activateTree((await body.loaded())!);
  await settle();
  const stat = panelFor(scene, 'Critical and above').state.panel!;
  // One link: Grafana's stat makes its value that link (no menu to pick from).
  const links = stat.state.fieldConfig.defaults.links ?? [];
  expect(links).toHaveLength(1);
  const url = sceneGraph.interpolate(stat, links[0].url);
  const params = new URLSearchParams(url.split('?')[1]);
  expect(url.startsWith('/a/containersec-security-app/events?')).toBe(true);
  expect(params.get('var-minPriority')).toBe('critical');
  expect(params.get('from')).toBe('now-24h');
  // The header "Events" link carries the panel's threshold too, not the page's "warning".
  const header = stat.state.titleItems as EventsPanelLink;
  expect(
    new URLSearchParams(sceneGraph.interpolate(header, header.state.url).split('?')[1]).getAll('var-minPriority')
  ).toEqual(['critical']);
});
