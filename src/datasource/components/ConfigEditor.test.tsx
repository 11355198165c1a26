import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { ConfigEditor } from './ConfigEditor';
import { falcoPluginsProblem } from './validation';

function options(overrides: Record<string, any> = {}) {
  return {
    id: 1,
    uid: 'falco',
    orgId: 1,
    name: 'Falco',
    type: 'containersec-falco-datasource',
    typeName: 'Falco',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    readOnly: false,
    withCredentials: false,
    jsonData: {},
    secureJsonFields: {},
    secureJsonData: {},
    ...overrides,
  } as any;
}

test('switching to Loki stores the choice in jsonData and asks for a URL', () => {
  const onOptionsChange = jest.fn();
  const { rerender } = render(<ConfigEditor options={options()} onOptionsChange={onOptionsChange} />);
  fireEvent.click(screen.getByLabelText('Loki'));
  const next = onOptionsChange.mock.calls[0][0];
  expect(next.jsonData.eventStore).toBe('loki');
  rerender(<ConfigEditor options={next} onOptionsChange={onOptionsChange} />);
  expect(screen.getByText('Loki needs a URL, for example http://loki:3100')).toBeInTheDocument();
  expect(screen.queryByLabelText(/Database file/)).not.toBeInTheDocument();
});

test('a bad Loki URL is shown inline', () => {
  render(
    <ConfigEditor
      options={options({ jsonData: { eventStore: 'loki', lokiUrl: 'ftp://loki' } })}
      onOptionsChange={jest.fn()}
    />
  );
  expect(screen.getByText('Use http:// or https://')).toBeInTheDocument();
});

test('the ingest token goes to secureJsonData only', () => {
  const onOptionsChange = jest.fn();
  render(<ConfigEditor options={options()} onOptionsChange={onOptionsChange} />);
  fireEvent.change(screen.getByPlaceholderText('A long random string'), { target: { value: 'tok-123' } });
  const next = onOptionsChange.mock.calls[0][0];
  expect(next.secureJsonData).toEqual({ ingestToken: 'tok-123' });
  expect(JSON.stringify(next.jsonData)).not.toContain('tok-123');
});

test('a configured token can be reset', () => {
  const onOptionsChange = jest.fn();
  render(
    <ConfigEditor options={options({ secureJsonFields: { ingestToken: true } })} onOptionsChange={onOptionsChange} />
  );
  expect(screen.getByDisplayValue('configured')).toBeInTheDocument();
  fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
  const next = onOptionsChange.mock.calls[0][0];
  expect(next.secureJsonFields.ingestToken).toBe(false);
  expect(next.secureJsonData.ingestToken).toBe('');
});

test('retention is stored as a number and validated', () => {
  const onOptionsChange = jest.fn();
  const { rerender } = render(<ConfigEditor options={options()} onOptionsChange={onOptionsChange} />);
  fireEvent.change(screen.getByPlaceholderText('14'), { target: { value: '0' } });
  const next = onOptionsChange.mock.calls[0][0];
  expect(next.jsonData.retentionDays).toBe(0);
  rerender(<ConfigEditor options={next} onOptionsChange={onOptionsChange} />);
  expect(screen.getByText('Between 1 and 3650 days')).toBeInTheDocument();
});

test('the Falco plugins field stores the names in jsonData.falcoPlugins, and nothing once emptied', () => {
  const onOptionsChange = jest.fn();
  const { rerender } = render(
    <ConfigEditor
      options={options({ jsonData: { sqlitePath: '/var/lib/grafana/events.db' } })}
      onOptionsChange={onOptionsChange}
    />
  );
  const input = screen.getByLabelText(/^Falco plugins/);
  fireEvent.change(input, { target: { value: 'k8saudit' } });
  fireEvent.keyDown(input, { key: 'Enter' });
  const added = onOptionsChange.mock.calls.at(-1)[0];
  expect(added.jsonData.falcoPlugins).toEqual(['k8saudit']);
  expect(added.jsonData.sqlitePath).toBe('/var/lib/grafana/events.db');

  rerender(<ConfigEditor options={added} onOptionsChange={onOptionsChange} />);
  fireEvent.click(screen.getByRole('button', { name: /Remove tag: k8saudit/i }));
  expect(onOptionsChange.mock.calls.at(-1)[0].jsonData.falcoPlugins).toBeUndefined();
});

test('a name Falco could not load is shown with the backend message', () => {
  render(
    <ConfigEditor
      options={options({
        jsonData: { sqlitePath: '/var/lib/grafana/events.db', falcoPlugins: ['k8saudit', 'json; rm -rf'] },
      })}
      onOptionsChange={jest.fn()}
    />
  );
  expect(
    screen.getByText(
      `Falco plugin "json; rm -rf" is not a plugin name (as in Falco's load_plugins, for example k8saudit)`
    )
  ).toBeInTheDocument();
});

test.each([
  [['k8saudit', 'cloudtrail', 'json', 'k8s-audit_1.0'], undefined],
  [[' k8saudit ', ''], undefined],
  [['-leading'], 'Falco plugin "-leading" is not a plugin name (as in Falco\'s load_plugins, for example k8saudit)'],
  [['k8s audit'], 'Falco plugin "k8s audit" is not a plugin name (as in Falco\'s load_plugins, for example k8saudit)'],
  [['ünïcode'], 'Falco plugin "ünïcode" is not a plugin name (as in Falco\'s load_plugins, for example k8saudit)'],
])('falcoPluginsProblem(%j) matches the backend check', (plugins, problem) => {
  expect(falcoPluginsProblem(plugins)).toBe(problem);
});
