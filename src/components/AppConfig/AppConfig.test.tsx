import React from 'react';
import { render, screen, fireEvent, waitFor } from '@testing-library/react';
import { of, throwError } from 'rxjs';
import { PluginType } from '@grafana/data';
import AppConfig, { testIds } from './AppConfig';

const fetch = jest.fn();
const reload = jest.fn();

// DataSourcePicker needs a live Grafana; a select with the uids it would offer stands in for it.
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
  locationService: { reload: () => reload() },
  DataSourcePicker: jest.requireActual('./fakeDataSourcePicker').FakeDataSourcePicker,
}));

function renderConfig(jsonData: Record<string, string> | undefined) {
  const meta = {
    id: 'containersec-security-app',
    name: 'Container Security',
    type: PluginType.app,
    enabled: true,
    pinned: true,
    jsonData,
    info: {} as any,
    module: '',
    baseUrl: '',
  };
  return render(<AppConfig plugin={{ meta } as any} query={{} as any} />);
}

beforeEach(() => {
  fetch.mockReset().mockReturnValue(of({ data: {} }));
  reload.mockReset();
});

test('defaults to the provisioned datasources when nothing was saved', () => {
  renderConfig(undefined);
  expect(screen.getByLabelText('picker prometheus')).toHaveValue('prometheus');
  expect(screen.getByLabelText('picker containersec-falco-datasource')).toHaveValue('falco');
});

test('shows what was saved before', () => {
  renderConfig({ prometheusDatasourceUid: 'prom-prod', falcoDatasourceUid: 'falco-prod' });
  expect(screen.getByLabelText('picker prometheus')).toHaveValue('prom-prod');
  expect(screen.getByLabelText('picker containersec-falco-datasource')).toHaveValue('falco-prod');
});

test('saves what the user chose through the plugin settings API, keeping other settings', async () => {
  renderConfig({ prometheusDatasourceUid: 'prometheus', extra: 'kept' } as any);
  fireEvent.change(screen.getByLabelText('picker prometheus'), { target: { value: 'other-prometheus' } });
  fireEvent.change(screen.getByLabelText('picker containersec-falco-datasource'), {
    target: { value: 'other-containersec-falco-datasource' },
  });
  fireEvent.click(screen.getByTestId(testIds.save));
  await waitFor(() => expect(reload).toHaveBeenCalled());
  expect(fetch).toHaveBeenCalledTimes(1);
  expect(fetch.mock.calls[0][0]).toMatchObject({
    url: '/api/plugins/containersec-security-app/settings',
    method: 'POST',
    data: {
      enabled: true,
      pinned: true,
      jsonData: {
        extra: 'kept',
        prometheusDatasourceUid: 'other-prometheus',
        falcoDatasourceUid: 'other-containersec-falco-datasource',
      },
    },
  });
});

test('tells the user when Grafana refuses the save and does not reload', async () => {
  fetch.mockReturnValue(throwError(() => ({ status: 403, data: { message: 'Permission denied' } })));
  renderConfig(undefined);
  fireEvent.click(screen.getByTestId(testIds.save));
  expect(await screen.findByText('Permission denied')).toBeInTheDocument();
  expect(reload).not.toHaveBeenCalled();
});
