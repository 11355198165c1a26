import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryEditor } from './QueryEditor';
import { DataSource } from '../datasource';
import { FalcoQuery, QUERY_TYPE_OPTIONS } from '../types';
import { parseLimit } from './EventQueryOptions';

const ds = {} as DataSource;

function setup(query: FalcoQuery) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const utils = render(<QueryEditor datasource={ds} query={query} onChange={onChange} onRunQuery={onRunQuery} />);
  return { onChange, onRunQuery, ...utils };
}

async function pick(label: string, typed: string) {
  const input = screen.getByLabelText(label);
  fireEvent.focus(input);
  fireEvent.change(input, { target: { value: typed } });
  fireEvent.keyDown(input, { key: 'ArrowDown' });
  fireEvent.keyDown(input, { key: 'Enter' });
}

test.each(QUERY_TYPE_OPTIONS.map((o) => [o.value, o.label]))('the editor offers the %s query type', (value, label) => {
  const { onChange, onRunQuery } = setup({ refId: 'A', queryType: value === 'rules' ? 'storeStatus' : 'rules' });
  fireEvent.click(screen.getByLabelText(label));
  expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: value });
  expect(onRunQuery).toHaveBeenCalledTimes(1);
});

test('each event type shows what it needs and nothing else', () => {
  const { rerender } = setup({ refId: 'A', queryType: 'events' });
  expect(screen.getByLabelText('Limit')).toBeInTheDocument();
  expect(screen.queryByLabelText('Group by')).not.toBeInTheDocument();
  expect(screen.getByLabelText('Minimum priority')).toBeInTheDocument();

  const props = { datasource: ds, onChange: jest.fn(), onRunQuery: jest.fn() };
  rerender(<QueryEditor {...props} query={{ refId: 'A', queryType: 'eventCounts' }} />);
  expect(screen.getByLabelText('Group by')).toHaveValue('Priority');
  expect(screen.queryByLabelText('Limit')).not.toBeInTheDocument();

  rerender(<QueryEditor {...props} query={{ refId: 'A', queryType: 'eventValues' }} />);
  expect(screen.getByLabelText('Field')).toHaveValue('Rule');

  rerender(<QueryEditor {...props} query={{ refId: 'A', queryType: 'event' }} />);
  expect(screen.getByLabelText('Event id')).toBeInTheDocument();
  expect(screen.queryByLabelText('Minimum priority')).not.toBeInTheDocument(); // one event by id takes no filters

  rerender(<QueryEditor {...props} query={{ refId: 'A', queryType: 'storeStatus' }} />);
  expect(screen.queryByLabelText('Minimum priority')).not.toBeInTheDocument();
});

test.each([
  ['rules', 'Rule', 'Terminal shell in container'],
  ['sources', 'Source', 'syscall'],
  ['tags', 'Tag', 'T1059'],
  ['hostnames', 'Hostname', 'node-1'],
  ['namespaces', 'Namespace', 'web'],
  ['pods', 'Pod', '$pod'],
  ['images', 'Image', 'docker.io/library/nginx:1.27'],
])('the %s filter takes values one by one and keeps the ones before', (key, label, value) => {
  const { onChange, onRunQuery } = setup({ refId: 'A', queryType: 'events', filters: { [key]: ['first'] } });
  const input = screen.getByLabelText(label);
  fireEvent.change(input, { target: { value } });
  fireEvent.keyDown(input, { key: 'Enter' });
  expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'events', filters: { [key]: ['first', value] } });
  expect(onRunQuery).toHaveBeenCalled();
});

test('removing the last value of a list removes the filter', () => {
  const { onChange } = setup({ refId: 'A', queryType: 'events', filters: { rules: ['x'], pods: ['p'] } });
  fireEvent.click(screen.getByRole('button', { name: /Remove tag: x/i }));
  expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'events', filters: { pods: ['p'] } });
});

test('cluster and text are trimmed and sent when the field loses focus; clearing drops them', () => {
  const { onChange, onRunQuery } = setup({ refId: 'A', queryType: 'eventCounts', filters: { cluster: 'old' } });
  const text = screen.getByLabelText('Text');
  fireEvent.change(text, { target: { value: '  /etc/shadow ' } });
  expect(onRunQuery).not.toHaveBeenCalled();
  fireEvent.blur(text);
  expect(onChange).toHaveBeenLastCalledWith({
    refId: 'A',
    queryType: 'eventCounts',
    filters: { cluster: 'old', text: '/etc/shadow' },
  });
  const cluster = screen.getByLabelText('Cluster');
  fireEvent.change(cluster, { target: { value: '' } });
  fireEvent.blur(cluster);
  expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'eventCounts', filters: undefined });
});

test("minimum priority stores Falco's name", async () => {
  const { onChange } = setup({ refId: 'A', queryType: 'events' });
  await pick('Minimum priority', 'Crit');
  await waitFor(() => expect(onChange).toHaveBeenCalled());
  expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'events', filters: { minPriority: 'critical' } });
});

test('a saved $variable as minimum priority is shown, not lost', () => {
  setup({ refId: 'A', queryType: 'events', filters: { minPriority: '$minPriority' } });
  expect(screen.getByLabelText('Minimum priority')).toHaveValue('$minPriority');
});

test('group by and field store their choice', async () => {
  const counts = setup({ refId: 'A', queryType: 'eventCounts' });
  await pick('Group by', 'Namespace');
  await waitFor(() => expect(counts.onChange).toHaveBeenCalled());
  expect(counts.onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'eventCounts', groupBy: 'namespace' });
  counts.unmount();

  const values = setup({ refId: 'A', queryType: 'eventValues' });
  await pick('Field', 'Image');
  await waitFor(() => expect(values.onChange).toHaveBeenCalled());
  expect(values.onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'eventValues', field: 'image' });
});

test("the limit is checked against the backend's bounds before it is sent", () => {
  const { onChange } = setup({ refId: 'A', queryType: 'events' });
  const limit = screen.getByLabelText('Limit');
  fireEvent.change(limit, { target: { value: '5000' } });
  fireEvent.blur(limit);
  expect(screen.getByText('A whole number from 1 to 1000')).toBeInTheDocument();
  expect(onChange).not.toHaveBeenCalled();
  fireEvent.change(limit, { target: { value: '250' } });
  fireEvent.blur(limit);
  expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'events', limit: 250 });
  expect(screen.queryByText('A whole number from 1 to 1000')).not.toBeInTheDocument();
});

test.each([
  ['', undefined],
  ['1', 1],
  ['1000', 1000],
  ['0', 'invalid'],
  ['1001', 'invalid'],
  ['2.5', 'invalid'],
  ['ten', 'invalid'],
])('parseLimit(%j) = %j', (raw, expected) => {
  expect(parseLimit(raw)).toBe(expected);
});

test('the event id is sent trimmed', () => {
  const { onChange } = setup({ refId: 'A', queryType: 'event' });
  const id = screen.getByLabelText('Event id');
  fireEvent.change(id, { target: { value: ' 5f0c-uuid ' } });
  fireEvent.blur(id);
  expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'event', id: '5f0c-uuid' });
});
