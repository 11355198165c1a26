import React from 'react';
import { NEVER } from 'rxjs';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { sceneGraph, sceneUtils } from '@grafana/scenes';
import { buildLibraryScene } from './buildLibraryScene';
import { LibraryScene } from './LibraryScene';
import { EXPORTERS } from '../../queries';
import { forgetExporterPresence } from '../../scenes/exporterPresence';
import { testCatalog } from './testCatalog';
import { activateTree, flushPromises, standInForGrafana } from './sceneTestSupport';
import { testIds } from './testIds';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

beforeEach(() => {
  standInForGrafana();
  // Prometheus answers slowly, so these tests see the page before any exporter check returns.
  fetch.mockReset().mockReturnValue(NEVER);
  forgetExporterPresence();
});

async function openLibrary(search = '') {
  const scene = buildLibraryScene('prom-prod', new LibraryScene(testCatalog));
  sceneUtils.syncStateFromSearchParams(scene, new URLSearchParams(search));
  activateTree(scene);
  const library = sceneGraph.findObject(scene, (o) => o instanceof LibraryScene) as LibraryScene;
  await act(async () => {
    render(<library.Component model={library} />);
  });
  return { scene, library };
}

test('typing in the search box narrows the list and lands in the URL', async () => {
  const { scene } = await openLibrary();
  expect(screen.getAllByTestId(/library-entry/)).toHaveLength(3);
  fireEvent.change(screen.getByTestId(testIds.search), { target: { value: 'kyverno' } });
  expect(screen.getAllByTestId(/library-entry/).map((e) => e.dataset.testid)).toEqual([
    testIds.entry('posture.kyverno.violations'),
  ]);
  expect(sceneUtils.getUrlState(scene).search).toBe('kyverno');
  fireEvent.change(screen.getByTestId(testIds.search), { target: { value: 'no such query' } });
  expect(screen.getByText('No query matches these filters.')).toBeInTheDocument();
});

test('entries are grouped under their category headings', async () => {
  await openLibrary();
  const runtime = screen.getByRole('region', { name: 'Falco runtime' });
  expect(within(runtime).getByText('Falco events by priority')).toBeInTheDocument();
  expect(within(runtime).queryByText('Container restarts')).not.toBeInTheDocument();
});

test('clicking an entry shows its detail, and a related entry is one click away', async () => {
  const { scene } = await openLibrary();
  fireEvent.click(screen.getByTestId(testIds.entry('falco.events.by_priority')));
  expect(screen.getByRole('heading', { name: 'Falco events by priority' })).toBeInTheDocument();
  expect(screen.getByText(/a rise in critical events/)).toBeInTheDocument();
  expect(screen.getByText(`Falco runtime · needs ${EXPORTERS.falco.title} · unit ops`)).toBeInTheDocument();
  expect(screen.getByText(/Checking that this Prometheus has the metrics/)).toBeInTheDocument();

  fireEvent.click(screen.getByRole('button', { name: 'Container restarts' }));
  expect(sceneUtils.getUrlState(scene).entry).toBe('workload.restarts');
  expect(screen.getByRole('heading', { name: 'Container restarts' })).toBeInTheDocument();
  expect(screen.getByTestId(testIds.query)).toHaveTextContent('sum(kube_pod_container_status_restarts_total)');
});

test('a link to a query the library does not have says so', async () => {
  await openLibrary('entry=falco.events.gone');
  expect(screen.getByText('No query named "falco.events.gone" in the library')).toBeInTheDocument();
});

test('choosing another Falco metrics source rewrites the query', async () => {
  await openLibrary('entry=falco.events.by_priority');
  expect(screen.getByTestId(testIds.query)).toHaveTextContent('falcosecurity_falco_rules_matches_total');
  fireEvent.click(screen.getByLabelText('falcosidekick'));
  expect(screen.getByTestId(testIds.query)).toHaveTextContent('falcosecurity_falcosidekick_falco_events_total');
});

test('the copy button copies the shown PromQL', async () => {
  const writeText = jest.fn().mockResolvedValue(undefined);
  Object.assign(navigator, { clipboard: { writeText } });
  Object.defineProperty(window, 'isSecureContext', { value: true, configurable: true }); // as Grafana served over https
  await openLibrary('entry=workload.restarts&namespace=payments');
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: /Copy PromQL/ }));
    await flushPromises();
  });
  expect(writeText).toHaveBeenCalledWith('sum(kube_pod_container_status_restarts_total{namespace="payments"})');
});
