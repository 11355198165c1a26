import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { ConfigEditor } from './ConfigEditor';
import { falcoPluginsProblem } from './validation';

function options(jsonData: Record<string, unknown>) {
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
    jsonData: { sqlitePath: '/var/lib/grafana/events.db', ...jsonData },
    secureJsonFields: {},
    secureJsonData: {},
  } as any;
}

test('the Falco plugins field stores the names in jsonData.falcoPlugins, and nothing once emptied', () => {
  const onOptionsChange = jest.fn();
  const { rerender } = render(<ConfigEditor options={options({})} onOptionsChange={onOptionsChange} />);
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
    <ConfigEditor options={options({ falcoPlugins: ['k8saudit', 'json; rm -rf'] })} onOptionsChange={jest.fn()} />
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
