import React from 'react';
import { of, throwError } from 'rxjs';
import { render, screen } from '@testing-library/react';
import { sceneGraph, sceneUtils, VizPanel } from '@grafana/scenes';
import { buildLibraryScene } from './buildLibraryScene';
import { LibraryScene } from './LibraryScene';
import { EXPORTERS } from '../../queries';
import { forgetExporterPresence } from '../../scenes/exporterPresence';
import { testCatalog } from './testCatalog';
import { activateTree, flushPromises, standInForGrafana } from './sceneTestSupport';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));
const kyvernoProbe = EXPORTERS.kyverno.probeMetric;

let runRequest: jest.Mock;
beforeEach(() => {
  ({ runRequest } = standInForGrafana());
  fetch.mockReset();
  forgetExporterPresence();
  // This Prometheus scrapes everything but Kyverno.
  fetch.mockImplementation((req: { params: Record<string, unknown> }) =>
    of({ data: { status: 'success', data: req.params['match[]'] === kyvernoProbe ? [] : [{ __name__: 'x' }] } })
  );
});

function libraryOf(scene: ReturnType<typeof buildLibraryScene>) {
  return sceneGraph.findObject(scene, (o) => o instanceof LibraryScene) as LibraryScene;
}

test('filters, the selected entry and its parameters come from the URL and go back to it', () => {
  const scene = buildLibraryScene('prom-prod', new LibraryScene(testCatalog));
  sceneUtils.syncStateFromSearchParams(
    scene,
    new URLSearchParams(
      'search=crit&category=falco-runtime&exporter=falco&entry=falco.events.by_priority&falcoSource=falcosidekick&topN=x'
    )
  );
  const library = libraryOf(scene);
  expect(library.state).toMatchObject({
    search: 'crit',
    category: 'falco-runtime',
    exporter: 'falco',
    entryId: 'falco.events.by_priority',
    params: { falcoSource: 'falcosidekick' }, // topN=x is not a number and is dropped
  });
  expect(library.visibleEntries().map((e) => e.id)).toEqual(['falco.events.by_priority']);

  library.setFilter({ search: '', category: 'posture', exporter: undefined });
  library.selectEntry('posture.kyverno.violations');
  library.setParams({ namespace: 'payments' });
  const url = sceneUtils.getUrlState(scene);
  expect(url).toMatchObject({ category: 'posture', entry: 'posture.kyverno.violations', namespace: 'payments' });
  expect(url.search).toBeUndefined();
  expect(url.exporter).toBeUndefined();
});

test('a link with an unknown category or exporter shows everything instead of nothing', () => {
  const scene = buildLibraryScene('prom-prod', new LibraryScene(testCatalog));
  sceneUtils.syncStateFromSearchParams(scene, new URLSearchParams('category=nope&exporter=prometheus'));
  expect(libraryOf(scene).visibleEntries()).toHaveLength(3);
});

test('the preview sends the built query to the chosen Prometheus datasource', async () => {
  const scene = buildLibraryScene('prom-lab', new LibraryScene(testCatalog));
  sceneUtils.syncStateFromSearchParams(scene, new URLSearchParams('entry=falco.events.by_priority&interval=5m'));
  activateTree(scene);
  await flushPromises(); // the exporter checks answer, then the preview is built
  const library = libraryOf(scene);
  // The entry's suggestion, as built (the stand-in panel plugin knows no units to keep once loaded).
  expect(library.state.preview).toBeInstanceOf(VizPanel);
  expect(library.state.preview!.state.pluginId).toBe('timeseries');
  expect(library.state.preview!.state.fieldConfig.defaults.unit).toBe('ops');
  activateTree(library.state.preview!);
  await flushPromises();

  const [ds, request] = runRequest.mock.calls.at(-1)!;
  expect((ds as any).uid).toBe('prom-lab');
  expect(request.targets[0]).toMatchObject({
    expr: 'sum by (priority) (rate(falcosecurity_falco_rules_matches_total[5m]))',
    legendFormat: '{{priority}}',
    datasource: { uid: 'prom-lab' },
  });

  // A changed parameter re-runs the same panel with the new expression.
  const panel = library.state.preview;
  library.setParams({ falcoSource: 'falcosidekick' });
  await flushPromises();
  expect(library.state.preview).toBe(panel);
  expect(runRequest.mock.calls.at(-1)![1].targets[0]).toMatchObject({
    expr: 'sum by (priority) (rate(falcosecurity_falcosidekick_falco_events_total[5m]))',
    legendFormat: '{{priority_raw}}',
  });
});

test('an entry whose exporter this Prometheus lacks says which and how to enable it, instead of a graph', async () => {
  const scene = buildLibraryScene('prom-prod', new LibraryScene(testCatalog));
  sceneUtils.syncStateFromSearchParams(scene, new URLSearchParams('entry=posture.kyverno.violations'));
  activateTree(scene);
  await flushPromises();
  const library = libraryOf(scene);
  render(<library.Component model={library} />);

  const alert = await screen.findByText(
    `Kyverno policy violations: Prometheus has no ${EXPORTERS.kyverno.title} metrics`
  );
  expect(alert).toBeInTheDocument();
  expect(screen.getByText(EXPORTERS.kyverno.howToEnable)).toBeInTheDocument();
  expect(screen.getByTestId('data-testid library-entry posture.kyverno.violations')).toHaveTextContent(
    `Needs ${EXPORTERS.kyverno.title}`
  );
  expect(screen.getByTestId('data-testid library-entry workload.restarts')).not.toHaveTextContent('Needs');

  const probe = fetch.mock.calls.find(([req]) => req.params['match[]'] === kyvernoProbe)![0];
  expect(probe.url).toBe('/api/datasources/uid/prom-prod/resources/api/v1/series');
  expect(probe.params).toMatchObject({ limit: 1 });
  expect(runRequest).not.toHaveBeenCalled();
});

test('exporter checks are asked once per datasource for the page', async () => {
  const scene = buildLibraryScene('prom-prod', new LibraryScene(testCatalog));
  activateTree(scene);
  await flushPromises();
  const calls = fetch.mock.calls.length;
  expect(calls).toBe(Object.keys(EXPORTERS).length);
  libraryOf(scene).checkExporters();
  await flushPromises();
  expect(fetch).toHaveBeenCalledTimes(calls);
  expect(libraryOf(scene).state.missing).toEqual(['kyverno']);
});

test('a failed lookup is not reported as a missing exporter', async () => {
  fetch.mockReturnValue(throwError(() => ({ status: 502 })));
  const scene = buildLibraryScene('prom-prod', new LibraryScene(testCatalog));
  activateTree(scene);
  await flushPromises();
  const library = libraryOf(scene);
  expect(library.state.missing).toEqual([]);
  expect(library.missingExporters(testCatalog.entries[2])).toEqual([]);
});
