import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { ConfigEditor } from './ConfigEditor';

function options(overrides: Record<string, any> = {}) {
  return {
    id: 1,
    uid: 'falco',
    orgId: 1,
    name: 'Falco',
    type: 'containersec-falco-datasource',
    jsonData: {},
    secureJsonFields: {},
    secureJsonData: {},
    ...overrides,
  } as any;
}

// Field puts its description inside the label, so labels are matched by their start.
// The deploy settings render inside the datasource's ConfigEditor, as Grafana shows them.
function renderEditor(o = options()) {
  const onOptionsChange = jest.fn();
  const view = render(<ConfigEditor options={o} onOptionsChange={onOptionsChange} />);
  const last = () => onOptionsChange.mock.calls.at(-1)[0];
  return { ...view, onOptionsChange, last };
}

test('the defaults show: in-cluster access, namespace falco, the falcosecurity chart repository', () => {
  renderEditor();
  expect(screen.getByLabelText('In cluster')).toBeChecked();
  expect(screen.queryByPlaceholderText(/apiVersion: v1/)).not.toBeInTheDocument();
  expect(screen.getByLabelText(/^Falco namespace/)).toHaveValue('falco');
  expect(screen.getByLabelText('Chart repository')).toBeChecked();
  expect(screen.getByLabelText(/^Repository URL/)).toHaveValue('https://falcosecurity.github.io/charts');
  expect(screen.getByLabelText(/^Rollout timeout \(seconds\)/)).toHaveAttribute('placeholder', '300');
});

test('a kubeconfig goes to secureJsonData only, with its context in jsonData', () => {
  const { last, rerender, onOptionsChange } = renderEditor();
  fireEvent.click(screen.getByLabelText('Kubeconfig'));
  let next = last();
  expect(next.jsonData.kubeAccess).toBe('kubeconfig');
  rerender(<ConfigEditor options={next} onOptionsChange={onOptionsChange} />);
  expect(screen.getByText('Paste the kubeconfig the datasource uses to reach the cluster')).toBeInTheDocument();

  const kubeconfig =
    'apiVersion: v1\nclusters:\n- name: prod\n  cluster: {server: https://10.0.0.1}\nusers:\n- name: u\n  user: {token: s3cret}\n';
  fireEvent.change(screen.getByPlaceholderText(/apiVersion: v1/), { target: { value: kubeconfig } });
  next = last();
  expect(next.secureJsonData).toEqual({ kubeconfig });
  expect(JSON.stringify(next.jsonData)).not.toContain('s3cret');
  rerender(<ConfigEditor options={next} onOptionsChange={onOptionsChange} />);
  expect(screen.queryByText(/Paste the kubeconfig/)).not.toBeInTheDocument();

  fireEvent.change(screen.getByLabelText(/^Context/), { target: { value: 'prod-admin' } });
  expect(last().jsonData.kubeContext).toBe('prod-admin');
});

test('a saved kubeconfig shows as configured, is not asked for again, and can be reset', () => {
  const { last } = renderEditor(
    options({ jsonData: { kubeAccess: 'kubeconfig' }, secureJsonFields: { kubeconfig: true } })
  );
  expect(screen.queryByText(/Paste the kubeconfig/)).not.toBeInTheDocument();
  expect(screen.getByDisplayValue('configured')).toBeInTheDocument();
  fireEvent.click(screen.getAllByRole('button', { name: 'Reset' })[0]);
  expect(last().secureJsonFields.kubeconfig).toBe(false);
  expect(last().secureJsonData.kubeconfig).toBe('');
});

test('clearing the namespace stores an empty one (every namespace), and a bad one is shown inline', () => {
  const { last, rerender, onOptionsChange } = renderEditor();
  fireEvent.change(screen.getByLabelText(/^Falco namespace/), { target: { value: '' } });
  expect(last().jsonData.falcoNamespace).toBe('');
  fireEvent.change(screen.getByLabelText(/^Falco namespace/), { target: { value: 'Falco_NS' } });
  rerender(<ConfigEditor options={last()} onOptionsChange={onOptionsChange} />);
  expect(screen.getByText(/A namespace has at most 63 lowercase letters/)).toBeInTheDocument();
});

test('the chart source decides which fields show; the repository password is a secret', () => {
  const { last, rerender, onOptionsChange } = renderEditor();
  fireEvent.change(screen.getByLabelText(/^Repository password/), { target: { value: 'repo-pw' } });
  expect(last().secureJsonData).toEqual({ chartRepositoryPassword: 'repo-pw' });
  fireEvent.change(screen.getByLabelText(/^Repository user/), { target: { value: 'robot' } });
  expect(last().jsonData.chartRepositoryUser).toBe('robot');

  fireEvent.click(screen.getByLabelText('OCI registry'));
  rerender(<ConfigEditor options={last()} onOptionsChange={onOptionsChange} />);
  expect(screen.queryByLabelText(/^Repository URL/)).not.toBeInTheDocument();
  expect(screen.getByText(/An OCI chart needs a reference/)).toBeInTheDocument();
  fireEvent.change(screen.getByLabelText('OCI reference'), {
    target: { value: 'oci://ghcr.io/falcosecurity/charts/falco:9.1.0' },
  });
  rerender(<ConfigEditor options={last()} onOptionsChange={onOptionsChange} />);
  expect(screen.getByText(/Leave out the tag or digest/)).toBeInTheDocument();

  fireEvent.click(screen.getByLabelText('None'));
  rerender(<ConfigEditor options={last()} onOptionsChange={onOptionsChange} />);
  expect(last().jsonData.chartSource).toBe('none');
  expect(screen.queryByLabelText('OCI reference')).not.toBeInTheDocument();
});

test('the rollout timeout is stored as a number and validated', () => {
  const { last, rerender, onOptionsChange } = renderEditor();
  fireEvent.change(screen.getByLabelText(/^Rollout timeout \(seconds\)/), { target: { value: '5' } });
  expect(last().jsonData.rolloutTimeoutSeconds).toBe(5);
  rerender(<ConfigEditor options={last()} onOptionsChange={onOptionsChange} />);
  expect(screen.getByText('Between 10 and 3600 seconds')).toBeInTheDocument();
  fireEvent.change(screen.getByLabelText(/^Rollout timeout \(seconds\)/), { target: { value: '' } });
  expect(last().jsonData.rolloutTimeoutSeconds).toBeUndefined();
});

test('time bounds and the Editors switch go to jsonData', () => {
  const { last } = renderEditor();
  fireEvent.change(screen.getByLabelText(/^Kubernetes request timeout/), { target: { value: '5' } });
  expect(last().jsonData.kubeRequestTimeoutSeconds).toBe(5);
  fireEvent.change(screen.getByLabelText(/^Chart download timeout/), { target: { value: '20' } });
  expect(last().jsonData.chartDownloadTimeoutSeconds).toBe(20);
  fireEvent.click(screen.getByLabelText(/^Editors may preview deployments/));
  expect(last().jsonData.editorsCanPlan).toBe(true);
  expect(screen.getByRole('button', { name: /check deploy permissions/i })).toBeInTheDocument();
});
