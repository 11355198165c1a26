import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { of } from 'rxjs';
import { PluginType } from '@grafana/data';
import { resetFakeMonaco } from '../RuleEditor/fakeCodeEditor';
import AppConfig from './AppConfig';

const fetch = jest.fn();
// DataSourcePicker needs a live Grafana; a select with the uids it would offer stands in for it.
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
  DataSourcePicker: jest.requireActual('./fakeDataSourcePicker').FakeDataSourcePicker,
}));
jest.mock('@grafana/ui', () => ({
  ...jest.requireActual('@grafana/ui'),
  CodeEditor: jest.requireActual('../RuleEditor/fakeCodeEditor').FakeCodeEditor,
}));

function renderConfig() {
  const meta = {
    id: 'containersec-security-app',
    name: 'Container Security',
    type: PluginType.app,
    enabled: true,
    pinned: true,
    jsonData: { falcoDatasourceUid: 'falco-prod' },
    info: {} as any,
    module: '',
    baseUrl: '',
  };
  return render(<AppConfig plugin={{ meta } as any} query={{} as any} />);
}

const urls = () => fetch.mock.calls.map((c) => c[0].url);

beforeEach(() => {
  window.localStorage.clear();
  resetFakeMonaco();
  fetch
    .mockReset()
    .mockImplementation((req: { url: string }) =>
      of({ data: req.url.endsWith('/catalog') ? { fields: [] } : { diagnostics: [], rules: [], macros: 0, lists: 0 } })
    );
});

test('the config page has a closed rules section that asks nothing of the datasource until opened', () => {
  renderConfig();
  expect(screen.getByText('Custom Falco rules')).toBeInTheDocument();
  expect(screen.queryByLabelText('Rules file')).not.toBeInTheDocument();
  expect(fetch).not.toHaveBeenCalled();
});

test('opened, it edits the working copy of the Falco datasource chosen above, saved or not', async () => {
  renderConfig();
  fireEvent.click(screen.getByText('Custom Falco rules'));
  expect(await screen.findByText(/They stay local until you deploy them/)).toBeInTheDocument();
  await waitFor(() => expect(urls()).toContain('/api/datasources/uid/falco-prod/resources/rules/validate'));

  fireEvent.change(screen.getByLabelText('picker containersec-falco-datasource'), {
    target: { value: 'other-containersec-falco-datasource' },
  });
  await waitFor(() =>
    expect(urls()).toContain('/api/datasources/uid/other-containersec-falco-datasource/resources/rules/catalog')
  );
  expect(screen.getByText(/"other-containersec-falco-datasource"/)).toBeInTheDocument();
});
