import React from 'react';
import { of } from 'rxjs';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { sceneGraph, sceneUtils } from '@grafana/scenes';
import { buildLibraryScene } from './buildLibraryScene';
import { libraryCatalog } from './catalog';
import { LibraryScene } from './LibraryScene';
import { activateTree, flushPromises, standInForGrafana } from './sceneTestSupport';
import { testIds } from './testIds';
import { MOVED_TO_FALCOSIDEKICK } from './ParameterForm';

const fetch = jest.fn(() => of({ data: { status: 'success', data: [{}] } })); // every exporter is there
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

beforeEach(() => standInForGrafana());

// The page with the real query library, on one entry, rendered as Grafana would.
async function openEntry(search: string) {
  const scene = buildLibraryScene('prom-prod', new LibraryScene(libraryCatalog));
  sceneUtils.syncStateFromSearchParams(scene, new URLSearchParams(search));
  activateTree(scene);
  await flushPromises();
  const library = sceneGraph.findObject(scene, (o) => o instanceof LibraryScene) as LibraryScene;
  await act(async () => {
    render(<library.Component model={library} />);
    await flushPromises(); // the preview's panel plugin loads
  });
  return { scene, library };
}

async function type(label: string, value: string) {
  const input = screen.getByLabelText(label);
  await act(async () => {
    fireEvent.change(input, { target: { value } });
    fireEvent.blur(input);
    await flushPromises(); // the preview re-runs
  });
}

test('a namespace with a quote and a regex metacharacter is escaped in the shown PromQL and kept in the URL', async () => {
  const { scene } = await openEntry('entry=falco.events.by_namespace');
  await type('Namespace', 'pay"ments.*');

  const query = screen.getByTestId(testIds.query).textContent!;
  // An exact matcher: the quote is escaped and ".*" stays a literal, never a regex that selects every namespace.
  expect(query).toContain('k8s_ns_name="pay\\"ments.*"');
  expect(query).not.toContain('k8s_ns_name=~');
  expect(sceneUtils.getUrlState(scene).namespace).toBe('pay"ments.*');
});

test('a rule name goes into the Falco source label of the chosen metric, escaped', async () => {
  await openEntry('entry=falco.events.by_rule&falcoSource=falcosidekick');
  await type('Falco rule', 'Read \\ sensitive "file"');
  expect(screen.getByTestId(testIds.query).textContent).toContain('rule="Read \\\\ sensitive \\"file\\""');
});

test('an empty parameter selects everything: no matcher at all', async () => {
  await openEntry('entry=falco.events.by_namespace&namespace=payments');
  expect(screen.getByTestId(testIds.query).textContent).toContain('k8s_ns_name="payments"');
  await type('Namespace', '');
  expect(screen.getByTestId(testIds.query).textContent).not.toContain('k8s_ns_name=');
});

test('a bad interval is named in an error instead of a query', async () => {
  await openEntry('entry=falco.events.by_priority');
  await type('Rate interval', '5 minutes');
  expect(screen.getByText(/invalid interval "5 minutes"/)).toBeInTheDocument();
  expect(screen.queryByTestId(testIds.query)).not.toBeInTheDocument();
});

test('the Explore link opens the shown query on the page datasource', async () => {
  await openEntry('entry=falco.events.critical_and_above');
  const href = screen.getByRole('link', { name: /Open in Explore/ }).getAttribute('href')!;
  const panes = JSON.parse(new URLSearchParams(href.split('?')[1]).get('panes')!);
  const pane = Object.values(panes)[0] as any;
  expect(pane.datasource).toBe('prom-prod');
  expect(pane.queries[0].expr).toBe(screen.getByTestId(testIds.query).textContent);
});

test('with Falco picked, a namespace filter says the query now reads falcosidekick, and the query does', async () => {
  await openEntry('entry=falco.events.by_rule');
  expect(screen.queryByText(MOVED_TO_FALCOSIDEKICK)).not.toBeInTheDocument();
  expect(screen.getByTestId(testIds.query).textContent).toContain('containersec:falco_rule_matches:count1m');

  await type('Namespace', 'payments');
  expect(screen.getByText(MOVED_TO_FALCOSIDEKICK)).toBeInTheDocument();
  expect(screen.getByTestId(testIds.query).textContent).toContain('containersec:falcosidekick_events:count1m');

  await type('Namespace', '');
  expect(screen.queryByText(MOVED_TO_FALCOSIDEKICK)).not.toBeInTheDocument();
});

test('a per-pod entry says it reads falcosidekick even with no filter', async () => {
  await openEntry('entry=falco.events.by_pod');
  expect(screen.getByText(MOVED_TO_FALCOSIDEKICK)).toBeInTheDocument();
});
