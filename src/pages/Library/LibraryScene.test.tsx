import React from 'react';
import { render, screen } from '@testing-library/react';
import { sceneGraph, sceneUtils, VizPanel } from '@grafana/scenes';
import { buildLibraryScene } from './buildLibraryScene';
import { LibraryScene } from './LibraryScene';
import { testCatalog } from './testCatalog';
import { activateTree, flushPromises, standInForGrafana } from './sceneTestSupport';

const get = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ get }),
}));

let runRequest: jest.Mock;
beforeEach(() => {
  ({ runRequest } = standInForGrafana());
  get.mockReset();
  // This Prometheus scrapes everything but Kyverno.
  get.mockImplementation(async (_url: string, params: Record<string, unknown>) => ({
    status: 'success',
    data: params['match[]'] === 'kyverno_policy_results_total' ? [] : [{ __name__: params['match[]'] }],
  }));
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

  const alert = await screen.findByTestId('data-testid library-missing-exporters');
  expect(alert).toHaveTextContent('This Prometheus has no Kyverno metrics');
  expect(alert).toHaveTextContent('Enable Kyverno.');
  expect(alert).toHaveTextContent('kyverno_policy_results_total');
  expect(screen.getByTestId('data-testid library-entry posture.kyverno.violations')).toHaveTextContent('Needs Kyverno');
  expect(screen.getByTestId('data-testid library-entry workload.restarts')).not.toHaveTextContent('Needs');

  const probe = get.mock.calls.find(([, params]) => params['match[]'] === 'kyverno_policy_results_total')!;
  expect(probe[0]).toBe('/api/datasources/uid/prom-prod/resources/api/v1/series');
  expect(probe[1]).toMatchObject({ limit: 1 });
  expect(runRequest).not.toHaveBeenCalled();
});

test('exporter checks are asked once per datasource for the page', async () => {
  const scene = buildLibraryScene('prom-prod', new LibraryScene(testCatalog));
  activateTree(scene);
  await flushPromises();
  const calls = get.mock.calls.length;
  expect(calls).toBe(Object.keys(testCatalog.exporters).length);
  libraryOf(scene).checkExporters();
  await flushPromises();
  expect(get).toHaveBeenCalledTimes(calls);
  expect(libraryOf(scene).state.presence).toMatchObject({ kyverno: 'missing', falco: 'present' });
});

test('a failed lookup is not reported as a missing exporter', async () => {
  get.mockRejectedValue({ status: 502 });
  const scene = buildLibraryScene('prom-prod', new LibraryScene(testCatalog));
  activateTree(scene);
  await flushPromises();
  const library = libraryOf(scene);
  expect(library.state.presence.kyverno).toBe('unknown');
  expect(library.missingExporters(testCatalog.entries[2])).toEqual([]);
});
