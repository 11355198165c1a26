import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { QueryEditor } from './QueryEditor';
import { DataSource } from '../datasource';

const ds = {} as DataSource;

test('describes the chosen query type', () => {
  render(
    <QueryEditor
      datasource={ds}
      query={{ refId: 'A', queryType: 'storeStatus' }}
      onChange={jest.fn()}
      onRunQuery={jest.fn()}
    />
  );
  expect(screen.getByText(/One row on the configured event store/)).toBeInTheDocument();
  expect(screen.queryByText(/Unknown query type/)).not.toBeInTheDocument();
});

test('says so when a saved query has a type this version does not know', () => {
  render(
    <QueryEditor
      datasource={ds}
      query={{ refId: 'A', queryType: 'fromTheFuture' as any }}
      onChange={jest.fn()}
      onRunQuery={jest.fn()}
    />
  );
  expect(screen.getByText('Unknown query type "fromTheFuture"')).toBeInTheDocument();
});

test('choosing a query type stores it on the query and runs it', () => {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(
    <QueryEditor
      datasource={ds}
      query={{ refId: 'A', queryType: 'fromTheFuture' as any }}
      onChange={onChange}
      onRunQuery={onRunQuery}
    />
  );
  fireEvent.click(screen.getByLabelText('Event store status'));
  expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'storeStatus' });
  expect(onRunQuery).toHaveBeenCalledTimes(1);
});

test('the rules query shows its filters only when chosen', () => {
  const { rerender } = render(
    <QueryEditor
      datasource={ds}
      query={{ refId: 'A', queryType: 'storeStatus' }}
      onChange={jest.fn()}
      onRunQuery={jest.fn()}
    />
  );
  expect(screen.queryByLabelText('Custom rules')).not.toBeInTheDocument();
  rerender(
    <QueryEditor
      datasource={ds}
      query={{ refId: 'A', queryType: 'rules' }}
      onChange={jest.fn()}
      onRunQuery={jest.fn()}
    />
  );
  expect(screen.getByText(/The effective Falco ruleset/)).toBeInTheDocument();
  expect(screen.getByLabelText('Custom rules')).toBeInTheDocument();
});
