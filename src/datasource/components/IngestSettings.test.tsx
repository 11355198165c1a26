import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { parse } from 'yaml';
import { config } from '@grafana/runtime';
import { ConfigEditor } from './ConfigEditor';

function options(overrides: Record<string, any> = {}) {
  return {
    id: 7,
    uid: 'b9f1-falco',
    orgId: 1,
    name: 'Falco',
    type: 'containersec-falco-datasource',
    jsonData: {},
    secureJsonFields: {},
    secureJsonData: {},
    ...overrides,
  } as any;
}

beforeEach(() => {
  config.appUrl = 'https://grafana.example.com/';
});

test('a token with "," or ":" is refused with the reason', () => {
  render(
    <ConfigEditor
      options={options({ secureJsonData: { ingestToken: 'abc:def,ghi-0123456789' } })}
      onOptionsChange={jest.fn()}
    />
  );
  expect(screen.getByText(/falcosidekick drops a header value containing "," or ":"/)).toBeInTheDocument();
  // A refused token is not put into the snippets.
  expect(screen.getByTestId('falcosidekick-headers')).toHaveTextContent('X-Containersec-Ingest-Token:<ingest token>');
});

test('"Generate a token" fills a random token into secureJsonData only', () => {
  const onOptionsChange = jest.fn();
  render(<ConfigEditor options={options()} onOptionsChange={onOptionsChange} />);
  fireEvent.click(screen.getByRole('button', { name: /Generate a token/ }));
  const next = onOptionsChange.mock.calls[0][0];
  expect(next.secureJsonData.ingestToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(JSON.stringify(next.jsonData)).not.toContain(next.secureJsonData.ingestToken);
});

test("the falcosidekick values carry this datasource's uid and the new token", () => {
  const token = 'Zm9vYmFyYmF6cXV4cXV1eHh5ejAxMjM0NTY3ODk';
  render(<ConfigEditor options={options({ secureJsonData: { ingestToken: token } })} onOptionsChange={jest.fn()} />);
  expect(screen.getByTestId('falcosidekick-address')).toHaveTextContent(
    'https://grafana.example.com/api/datasources/uid/b9f1-falco/resources/events'
  );
  expect(screen.getByTestId('falcosidekick-headers')).toHaveTextContent(
    `Authorization:Bearer <service account token>,X-Containersec-Ingest-Token:${token}`
  );
  const helm = parse(screen.getByTestId('falcosidekick-helm').textContent ?? '');
  expect(helm.falcosidekick.config.webhook).toEqual({
    address: 'https://grafana.example.com/api/datasources/uid/b9f1-falco/resources/events',
    customHeaders: `Authorization:Bearer <service account token>,X-Containersec-Ingest-Token:${token}`,
    maxconcurrentrequests: 64,
  });
});

test('the Grafana URL can be changed to the one falcosidekick reaches; compose gets the env form', () => {
  render(<ConfigEditor options={options()} onOptionsChange={jest.fn()} />);
  fireEvent.change(screen.getByLabelText('Grafana URL for falcosidekick'), {
    target: { value: 'http://grafana:3000' },
  });
  fireEvent.click(screen.getByText('docker compose'));
  const compose = parse(screen.getByTestId('falcosidekick-compose').textContent ?? '');
  expect(compose.environment.WEBHOOK_ADDRESS).toBe(
    'http://grafana:3000/api/datasources/uid/b9f1-falco/resources/events'
  );
  expect(compose.environment.WEBHOOK_CUSTOMHEADERS).toBe(
    'Authorization:Bearer <service account token>,X-Containersec-Ingest-Token:<ingest token>'
  );
  expect(compose.environment.WEBHOOK_MAXCONCURRENTREQUESTS).toBe('64');
});

test('with a saved token the page says it cannot show it, and offers no generator until reset', () => {
  render(<ConfigEditor options={options({ secureJsonFields: { ingestToken: true } })} onOptionsChange={jest.fn()} />);
  expect(screen.queryByRole('button', { name: /Generate a token/ })).not.toBeInTheDocument();
  expect(screen.getByText(/Grafana never shows it again/)).toBeInTheDocument();
});

test('store size, cluster field and default cluster are stored in jsonData', () => {
  const onOptionsChange = jest.fn();
  const { rerender } = render(<ConfigEditor options={options()} onOptionsChange={onOptionsChange} />);
  fireEvent.change(screen.getByPlaceholderText('1024'), { target: { value: '0' } });
  const next = onOptionsChange.mock.calls[0][0];
  expect(next.jsonData.maxStoreMB).toBe(0);
  rerender(<ConfigEditor options={next} onOptionsChange={onOptionsChange} />);
  expect(screen.getByText(/A whole number of megabytes/)).toBeInTheDocument();

  fireEvent.change(screen.getByLabelText(/Cluster field/), { target: { value: ' cluster ' } });
  expect(onOptionsChange.mock.lastCall[0].jsonData.clusterField).toBe('cluster');
  fireEvent.change(screen.getByLabelText(/Default cluster/), { target: { value: 'prod-eu-1' } });
  expect(onOptionsChange.mock.lastCall[0].jsonData.defaultCluster).toBe('prod-eu-1');
});

test('the snippets stay inside the page with a very long uid', () => {
  render(<ConfigEditor options={options({ uid: 'u'.repeat(300) })} onOptionsChange={jest.fn()} />);
  const pre = screen.getByTestId('falcosidekick-helm');
  expect(pre).toHaveStyle({ whiteSpace: 'pre-wrap', wordBreak: 'break-all' });
  expect(within(pre.parentElement!).getByRole('button', { name: /Copy/ })).toBeInTheDocument();
});
