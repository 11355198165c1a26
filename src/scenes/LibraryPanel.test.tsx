import React from 'react';
import { of } from 'rxjs';
import { render, screen } from '@testing-library/react';
import { MultiValueVariable, SceneObject, sceneGraph } from '@grafana/scenes';
import { EXPORTERS } from '../queries';
import { overviewPage } from '../pages/Overview/overviewPage';
import { resourcesPage } from '../pages/Resources/resourcesPage';
import { SetupStatus } from '../pages/Overview/SetupStatus';
import { forgetExporterPresence } from './exporterPresence';
import { LazySceneBody } from './LazySceneBody';
import { LibraryPanel } from './LibraryPanel';
import { activateTree, FALCO, issuedQueries, PROMETHEUS, settle, standInGrafana } from './testing/grafanaStandIn';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

// Prometheus has series of every exporter's probe metric except falcosidekick's; Falco's health check passes.
function grafanaWithoutFalcosidekick(req: { url: string; params?: Record<string, string> }) {
  if (req.url.endsWith('/health')) {
    return of({ data: { status: 'OK', message: 'Falco datasource is working', details: {} } });
  }
  const missing = req.params?.['match[]'] === EXPORTERS.falcosidekick.probeMetric;
  return of({ data: { status: 'success', data: missing ? [] : [{}] } });
}

let grafana: ReturnType<typeof standInGrafana>;
beforeEach(() => {
  grafana = standInGrafana({ namespace: ['shop'] });
  forgetExporterPresence();
  fetch.mockReset();
  fetch.mockImplementation(grafanaWithoutFalcosidekick);
});

async function openOverview() {
  const page = overviewPage({ prometheusDatasourceUid: PROMETHEUS.uid, falcoDatasourceUid: FALCO.uid });
  const scene = page.getScene({ url: page.state.url, path: page.state.routePath!, params: {}, isExact: true });
  activateTree(scene);
  const body = sceneGraph.findObject(scene, (o) => o instanceof LazySceneBody) as LazySceneBody;
  activateTree((await body.loaded())!);
  await settle();
  return scene;
}

const panelFor = (scene: SceneObject, queryId: string) =>
  sceneGraph.findObject(scene, (o) => o instanceof LibraryPanel && o.state.spec.queryId === queryId) as LibraryPanel;

test('Overview keeps the setup check above its panels', async () => {
  const scene = await openOverview();
  expect(sceneGraph.findObject(scene, (o) => o instanceof SetupStatus)).toBeDefined();
  expect(fetch).toHaveBeenCalledWith(expect.objectContaining({ url: `/api/datasources/uid/${FALCO.uid}/health` }));
});

test('a panel whose exporter is not scraped says which one and how to enable it instead of showing no data', async () => {
  const scene = await openOverview();
  const byNamespace = panelFor(scene, 'falco.events.by_namespace');
  expect(byNamespace.state.missing).toEqual(['falcosidekick']);
  render(<byNamespace.Component model={byNamespace} />);
  expect(
    screen.getByText('Events by namespace (falcosidekick): Prometheus has no falcosidekick metrics')
  ).toBeInTheDocument();
  expect(screen.getByText(EXPORTERS.falcosidekick.howToEnable)).toBeInTheDocument();

  expect(panelFor(scene, 'falco.events.by_priority').state.missing).toEqual([]);
  // The exporter is looked up once, however many panels need it.
  const probes = fetch.mock.calls.filter(([req]) => req.params?.['match[]'] === EXPORTERS.falcosidekick.probeMetric);
  expect(probes).toHaveLength(1);
});

test('once falcosidekick is installed, a refresh after the missing answer expired brings the panel back', async () => {
  const now = jest.spyOn(Date, 'now');
  try {
    const scene = await openOverview();
    const byNamespace = panelFor(scene, 'falco.events.by_namespace');
    expect(byNamespace.state.missing).toEqual(['falcosidekick']);

    fetch.mockImplementation(() => of({ data: { status: 'success', data: [{}] } })); // falcosidekick now scraped
    now.mockReturnValue(Date.now() + 61_000);
    sceneGraph.getTimeRange(byNamespace).onRefresh();
    await settle();
    expect(byNamespace.state.missing).toEqual([]);
  } finally {
    now.mockRestore();
  }
});

test('every Overview number and row links somewhere: tables to their drilldown, single numbers to their page or events', async () => {
  const scene = await openOverview();
  const panels = sceneGraph.findAllObjects(scene, (o) => o instanceof LibraryPanel) as LibraryPanel[];
  for (const panel of panels) {
    // Panels that count Falco events also link to the events behind them (src/scenes/events/eventsLinks.ts); a single
    // count links to its events only, so a click on it is that link.
    const single = panel.state.spec.visualization === 'stat';
    expect([panel.state.spec.title, panel.state.panel!.state.fieldConfig.defaults.links?.length]).toEqual([
      panel.state.spec.title,
      panel.entry.category === 'falco-runtime' && !single ? 2 : 1,
    ]);
  }
  const critical = panelFor(scene, 'falco.events.critical_and_above');
  expect(critical.state.panel!.state.fieldConfig.defaults.links![0].url).toBe(
    '/a/containersec-security-app/events?${__url_time_range}&var-minPriority=critical'
  );
  const nodes = panelFor(scene, 'falco.health.nodes_missing');
  expect(nodes.state.panel!.state.fieldConfig.defaults.links![0].url).toBe(
    '/a/containersec-security-app/runtime?${__url_time_range}&${datasource:queryparam}&${cluster:queryparam}&${falcoSource:queryparam}&${minPriority:queryparam}'
  );
  const topRisk = panelFor(scene, 'risk.pod_score.top');
  expect(topRisk.state.panel!.state.fieldConfig.defaults.links![0].url).toMatch(
    /^\/a\/containersec-security-app\/overview\/namespace\/\$\{__data\.fields\.namespace:percentencode\}\/pod\/\$\{__data\.fields\.pod:percentencode\}\?/
  );
  // One query per panel, named by its library entry; the look-back for earlier Critical detections is the one other.
  const issued = Object.keys(issuedQueries(grafana));
  expect(issued.filter((id) => !id.startsWith('SQR'))).toHaveLength(panels.length);
  expect(issued).toHaveLength(panels.length + 1);
});

test('Overview renders its pickers and the setup check above the panels (loaded)', async () => {
  const scene = await openOverview();
  render(<scene.Component model={scene} />);
  expect(await screen.findByText(/Metrics from/)).toBeInTheDocument();
  for (const label of ['Prometheus', 'Falco metrics', 'Minimum priority']) {
    expect(screen.getByTestId(`data-testid Dashboard template variables submenu Label ${label}`)).toBeInTheDocument();
  }
  expect(screen.queryByText('Loading panels…')).not.toBeInTheDocument();
});

// The pod variable at All (`.*`, every pod) is no pod filter: a per-pod panel's top 10 then ranks from its records'
// top record (src/queries/catalog/topPods.ts byRecordPeak), which is exact for any namespaces but not for a choice of
// pods; once pods are chosen, the query filters on them and ranks from the record itself.
test('the Resources page ranks pods from the top record while the pod variable is at All, from the record once pods are chosen', async () => {
  grafana = standInGrafana({ namespace: ['shop'], pod: ['api-0', 'web-1'] });
  const page = resourcesPage({ prometheusDatasourceUid: PROMETHEUS.uid });
  const scene = page.getScene({ url: page.state.url, path: page.state.routePath!, params: {}, isExact: true });
  activateTree(scene);
  const body = sceneGraph.findObject(scene, (o) => o instanceof LazySceneBody) as LazySceneBody | null;
  if (body) {
    activateTree((await body.loaded())!);
  }
  await settle();
  const exprOf = () =>
    issuedQueries(grafana)['workload.cpu.limit_ratio.by_pod#A'] ??
    issuedQueries(grafana)['workload.cpu.limit_ratio.by_pod'];
  const atAll = exprOf();
  expect(atAll).toContain('containersec:pod_cpu_limit_ratio:top10{');
  expect(atAll).not.toContain('pod=~');

  const pod = sceneGraph.lookupVariable(
    'pod',
    panelFor(scene, 'workload.cpu.limit_ratio.by_pod')
  ) as MultiValueVariable;
  pod.changeValueTo(['api-0']);
  await settle();
  const chosen = exprOf();
  expect(chosen).toContain('pod=~"$pod"');
  expect(chosen).not.toContain(':top10');
});
