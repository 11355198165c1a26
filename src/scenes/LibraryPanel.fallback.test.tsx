import { of } from 'rxjs';
import { sceneGraph } from '@grafana/scenes';
import { NATIVE_EVENTS_RECORD } from '../queries/recordedEvents';
import { overviewPage } from '../pages/Overview/overviewPage';
import { forgetExporterPresence } from './exporterPresence';
import { LazySceneBody } from './LazySceneBody';
import { LibraryPanel, RAW_DESCRIPTION_NOTE, RAW_TITLE_NOTE } from './LibraryPanel';
import { activateTree, FALCO, issuedQueries, PROMETHEUS, settle, standInGrafana } from './testing/grafanaStandIn';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

// Prometheus has every exporter; the recording rules' series are there or not.
const prometheus = (recordsInstalled: boolean) => (req: { url: string; params?: Record<string, string> }) => {
  if (req.url.endsWith('/health')) {
    return of({ data: { status: 'OK', message: 'Falco datasource is working', details: {} } });
  }
  const isRecord = req.params?.['match[]']?.startsWith('containersec:') ?? false;
  return of({ data: { status: 'success', data: isRecord && !recordsInstalled ? [] : [{}] } });
};

let grafana: ReturnType<typeof standInGrafana>;
beforeEach(() => {
  grafana = standInGrafana({ namespace: ['shop'] });
  forgetExporterPresence();
  fetch.mockReset();
});

async function byPriorityPanel() {
  const page = overviewPage({ prometheusDatasourceUid: PROMETHEUS.uid, falcoDatasourceUid: FALCO.uid });
  const scene = page.getScene({ url: page.state.url, path: page.state.routePath!, params: {}, isExact: true });
  activateTree(scene);
  const body = sceneGraph.findObject(scene, (o) => o instanceof LazySceneBody) as LazySceneBody;
  activateTree((await body.loaded())!);
  await settle();
  return sceneGraph.findObject(
    scene,
    (o) => o instanceof LibraryPanel && o.state.spec.queryId === 'falco.events.by_priority'
  ) as LibraryPanel;
}

test('with the recording rules installed, an event panel reads the per-minute record', async () => {
  fetch.mockImplementation(prometheus(true));
  const panel = await byPriorityPanel();
  expect(panel.state.raw).toBeFalsy();
  expect(panel.state.missing).toEqual([]);
  expect(issuedQueries(grafana)['falco.events.by_priority']).toContain(NATIVE_EVENTS_RECORD);
  expect(panel.state.panel!.state.title).not.toContain(RAW_TITLE_NOTE);
});

test('without them, it runs its raw form and says it is slower, instead of showing no data', async () => {
  fetch.mockImplementation(prometheus(false));
  const panel = await byPriorityPanel();
  expect(panel.state.raw).toBe(true);
  expect(panel.state.missing).toEqual([]); // the rules are not a missing exporter: the panel still has its data
  const expr = issuedQueries(grafana)['falco.events.by_priority'];
  expect(expr).not.toContain('containersec:');
  expect(expr).toContain('falcosecurity_falco_rules_matches_total');
  expect(panel.state.panel!.state.title).toContain(RAW_TITLE_NOTE);
  expect(panel.state.panel!.state.description).toContain(RAW_DESCRIPTION_NOTE);
  // The probe asked for the record by name.
  expect(fetch.mock.calls.some(([req]) => req.params?.['match[]'] === NATIVE_EVENTS_RECORD)).toBe(true);
});
