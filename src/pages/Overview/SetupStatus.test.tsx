import React from 'react';
import { render, screen } from '@testing-library/react';
import { of, throwError } from 'rxjs';
import { setDataSourceSrv } from '@grafana/runtime';
import { SetupStatus } from './SetupStatus';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

const datasources: Record<string, { uid: string; name: string; type: string }> = {
  prometheus: { uid: 'prometheus', name: 'Prometheus', type: 'prometheus' },
  falco: { uid: 'falco', name: 'Falco', type: 'containersec-falco-datasource' },
  loki: { uid: 'loki', name: 'Loki', type: 'loki' },
};

beforeAll(() => {
  setDataSourceSrv({ getInstanceSettings: (uid: string) => datasources[uid] } as any);
});
beforeEach(() => fetch.mockReset());

function activate(settings: { prometheusDatasourceUid: string; falcoDatasourceUid: string }) {
  const status = new SetupStatus(settings);
  status.activate();
  render(<status.Component model={status} />);
  return status;
}

test('a working setup names its datasources and the Falco health message', async () => {
  fetch.mockReturnValue(
    of({ data: { status: 'OK', message: 'Falco datasource is working: ok', details: { components: [] } } })
  );
  activate({ prometheusDatasourceUid: 'prometheus', falcoDatasourceUid: 'falco' });
  expect(await screen.findByText('Falco datasource is working: ok')).toBeInTheDocument();
  expect(fetch.mock.calls[0][0].url).toBe('/api/datasources/uid/falco/health');
  expect(screen.queryByText(/not fully set up/)).not.toBeInTheDocument();
});

test('missing and wrong-type datasources are named, with a link to the configuration', () => {
  activate({ prometheusDatasourceUid: 'gone', falcoDatasourceUid: 'loki' });
  expect(screen.getByText('No Prometheus datasource with uid "gone" exists')).toBeInTheDocument();
  expect(screen.getByText('"Loki" is a loki datasource, not Falco')).toBeInTheDocument();
  expect(screen.getByRole('link', { name: /Open the configuration/ })).toHaveAttribute(
    'href',
    '/plugins/containersec-security-app'
  );
  expect(fetch).not.toHaveBeenCalled();
});

test('a failing Falco health check is shown as a setup problem', async () => {
  fetch.mockReturnValue(
    throwError(() => ({ status: 400, data: { status: 'ERROR', message: 'event store (sqlite): not writable' } }))
  );
  activate({ prometheusDatasourceUid: 'prometheus', falcoDatasourceUid: 'falco' });
  expect(await screen.findByText('Falco datasource: event store (sqlite): not writable')).toBeInTheDocument();
});
