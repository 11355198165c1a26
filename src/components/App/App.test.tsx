import { of } from 'rxjs';
import { setDataSourceSrv } from '@grafana/runtime';
import { SceneObject, sceneGraph } from '@grafana/scenes';
import pluginJson from '../../plugin.json';
import { buildSceneApp } from './App';
import { SetupStatus } from '../../pages/Overview/SetupStatus';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

const datasources: Record<string, { uid: string; name: string; type: string }> = {
  'prom-prod': { uid: 'prom-prod', name: 'Prometheus prod', type: 'prometheus' },
  'falco-prod': { uid: 'falco-prod', name: 'Falco prod', type: 'containersec-falco-datasource' },
};

beforeAll(() => {
  setDataSourceSrv({
    getInstanceSettings: (uid: string) => datasources[uid],
    // The page's Prometheus picker lists the Prometheus datasources.
    getList: () => Object.values(datasources).filter((ds) => ds.type === 'prometheus'),
    // The cluster variable asks for its datasource when activated; these tests do not look at it, so it stays
    // loading rather than failing with an error logged over the test output.
    get: () => new Promise(() => {}),
  } as any);
});

// Activates a scene and everything under it, as rendering it in Grafana would.
function activateTree(obj: SceneObject): void {
  obj.activate();
  obj.forEachChild((child) => activateTree(child));
}

test('the app mounts its pages from the route table under the plugin URL', () => {
  const app = buildSceneApp(undefined);
  const pages = app.state.pages.map((p) => [p.state.url, p.state.routePath]);
  expect(pages).toEqual([
    ['/a/containersec-security-app/overview', 'overview/*'],
    ['/a/containersec-security-app/events', 'events/*'],
    ['/a/containersec-security-app/runtime', 'runtime/*'],
    ['/a/containersec-security-app/resources', 'resources/*'],
    ['/a/containersec-security-app/network', 'network/*'],
    ['/a/containersec-security-app/posture', 'posture/*'],
    ['/a/containersec-security-app/library', 'library/*'],
    ['/a/containersec-security-app/rules', 'rules/*'],
  ]);
});

test('every app page has a nav entry in plugin.json and every nav entry a page', () => {
  const pageUrls = buildSceneApp(undefined).state.pages.map((p) => p.state.url);
  const navUrls = pluginJson.includes
    .filter((i) => i.type === 'page' && i.path.startsWith('/a/'))
    .map((i) => i.path.replace('%PLUGIN_ID%', pluginJson.id));
  expect(navUrls).toEqual(pageUrls);
});

test('the Overview page, activated, checks the saved Falco datasource through Grafana', async () => {
  fetch.mockReturnValue(of({ data: { status: 'OK', message: 'Falco datasource is working', details: {} } }));
  const app = buildSceneApp({ prometheusDatasourceUid: 'prom-prod', falcoDatasourceUid: 'falco-prod' });
  const overview = app.state.pages[0];
  const scene = overview.getScene({
    url: overview.state.url,
    path: overview.state.routePath!,
    params: {},
    isExact: true,
  });
  activateTree(scene);

  const status = sceneGraph.findObject(scene, (o) => o instanceof SetupStatus) as SetupStatus;
  expect(status.state.prometheus).toEqual({ uid: 'prom-prod', name: 'Prometheus prod' });
  expect(status.state.falco).toEqual({ uid: 'falco-prod', name: 'Falco prod' });
  await new Promise((r) => setTimeout(r, 0));
  expect(fetch).toHaveBeenCalledWith(expect.objectContaining({ url: '/api/datasources/uid/falco-prod/health' }));
  expect(status.state.falcoHealth?.status).toBe('OK');
});
