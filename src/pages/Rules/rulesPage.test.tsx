import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import { of } from 'rxjs';
import { resetFakeMonaco } from '../../components/RuleEditor/fakeCodeEditor';
import { rulesPage } from './rulesPage';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));
jest.mock('@grafana/ui', () => ({
  ...jest.requireActual('@grafana/ui'),
  CodeEditor: jest.requireActual('../../components/RuleEditor/fakeCodeEditor').FakeCodeEditor,
}));

// The editor's chunk (Monaco stand-in, catalog, deploy panel) loads lazily: seconds on a busy CI machine.
jest.setTimeout(30_000);

beforeEach(() => {
  window.localStorage.clear();
  resetFakeMonaco();
  fetch
    .mockReset()
    .mockImplementation((req: { url: string }) =>
      of({ data: req.url.endsWith('/catalog') ? { fields: [] } : { diagnostics: [], rules: [], macros: 0, lists: 0 } })
    );
});

test('the Rules page sits at /rules and edits and deploys rules through the configured Falco datasource', async () => {
  const page = rulesPage({ falcoDatasourceUid: 'falco-prod' });
  expect(page.state.url).toBe('/a/containersec-security-app/rules');
  const scene = page.getScene({ url: page.state.url, path: page.state.routePath!, params: {}, isExact: true });
  render(<scene.Component model={scene} />);

  // The editor's chunk loads lazily: seconds on a busy machine.
  expect(await screen.findByText(/They stay local until you deploy them/, {}, { timeout: 15_000 })).toBeInTheDocument();
  expect((screen.getByLabelText('Rules file') as HTMLTextAreaElement).value).toContain('- rule: Shell in a container');
  await waitFor(() =>
    expect(fetch).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/api/datasources/uid/falco-prod/resources/rules/validate' })
    )
  );
  expect(fetch).toHaveBeenCalledWith(
    expect.objectContaining({ url: '/api/datasources/uid/falco-prod/resources/rules/catalog' })
  );
  // The deploy panel shares the editor's datasource: it lists that datasource's Falco releases.
  expect(fetch).toHaveBeenCalledWith(
    expect.objectContaining({ url: '/api/datasources/uid/falco-prod/resources/deploy/releases' })
  );
  expect(await screen.findByText('No Falco release found')).toBeInTheDocument();
});
