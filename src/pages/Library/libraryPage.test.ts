import { of } from 'rxjs';
import { locationService } from '@grafana/runtime';
import { sceneGraph, UrlSyncManager } from '@grafana/scenes';
import { libraryPage } from './libraryPage';
import { LibraryScene } from './LibraryScene';
import { LazySceneBody } from '../../scenes/LazySceneBody';
import { forgetExporterPresence } from '../../scenes/exporterPresence';
import { activateTree, flushPromises, standInForGrafana } from './sceneTestSupport';

const fetch = jest.fn(() => of({ data: { status: 'success', data: [{}] } }));
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

test('a shared link opens the lazily loaded library on its entry and previews it on the configured datasource', async () => {
  const { runRequest } = standInForGrafana();
  forgetExporterPresence();
  locationService.push('/a/containersec-security-app/library?entry=workload.restarts&namespace=payments');
  const page = libraryPage({ prometheusDatasourceUid: 'prom-lab' });
  expect(page.state.url).toBe('/a/containersec-security-app/library');
  const scene = page.getScene({ url: page.state.url, path: page.state.routePath!, params: {}, isExact: true });
  const urlSync = new UrlSyncManager({}, locationService);
  urlSync.initSync(scene);
  activateTree(scene);

  // The page's chunk arrives after the URL sync started, as it does in Grafana.
  const lazy = sceneGraph.findObject(scene, (o) => o instanceof LazySceneBody) as LazySceneBody;
  const library = (await lazy.loaded()) as LibraryScene;
  expect(library.catalog.entries.map((e) => e.id)).toContain('falco.events.by_priority'); // the real library
  activateTree(library);
  await flushPromises();
  expect(library.state).toMatchObject({ entryId: 'workload.restarts', params: { namespace: 'payments' } });

  activateTree(library.state.preview!);
  await flushPromises();
  const [ds, request] = runRequest.mock.calls.at(-1)!;
  expect((ds as any).uid).toBe('prom-lab');
  expect(request.targets[0].expr).toBe(library.builtQuery(library.selectedEntry()!).expr);
  expect(request.targets[0].expr).toContain('namespace="payments"');

  // And what the user does goes back into the link.
  library.selectEntry('workload.oom_events');
  expect(locationService.getSearchObject()).toMatchObject({ entry: 'workload.oom_events', namespace: 'payments' });
  urlSync.cleanUp(scene);
});
