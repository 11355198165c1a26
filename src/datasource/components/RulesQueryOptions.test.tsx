import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { RulesQueryOptions } from './RulesQueryOptions';

function setup(query = {}) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(
    <RulesQueryOptions
      query={{ refId: 'A', queryType: 'rules', ...query }}
      onChange={onChange}
      onRunQuery={onRunQuery}
    />
  );
  return { onChange, onRunQuery };
}

test('a text filter is stored trimmed and runs the query when the field loses focus', () => {
  const { onChange, onRunQuery } = setup();
  const search = screen.getByLabelText('Search');
  fireEvent.change(search, { target: { value: '  shell ' } });
  expect(onRunQuery).not.toHaveBeenCalled();
  fireEvent.blur(search);
  expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'rules', search: 'shell' });
  expect(onRunQuery).toHaveBeenCalledTimes(1);
});

test('clearing a filter removes it and an unchanged field does not rerun', () => {
  const { onChange, onRunQuery } = setup({ tag: 'container' });
  const tag = screen.getByLabelText('Tag');
  fireEvent.blur(tag);
  expect(onRunQuery).not.toHaveBeenCalled();
  fireEvent.change(tag, { target: { value: '' } });
  fireEvent.blur(tag);
  expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'rules', tag: undefined });
});

test('custom rules are sent when the editor loses focus', () => {
  const { onChange, onRunQuery } = setup();
  const rules = screen.getByLabelText('Custom rules');
  fireEvent.change(rules, { target: { value: '- list: x\n  items: [a]\n' } });
  expect(onChange).not.toHaveBeenCalled();
  fireEvent.blur(rules);
  expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'rules', customRules: '- list: x\n  items: [a]\n' });
  expect(onRunQuery).toHaveBeenCalledTimes(1);
});

test('the minimum priority shows the saved choice', () => {
  setup({ minPriority: 'warning' });
  expect(screen.getByLabelText('Minimum priority')).toHaveValue('Warning');
});

test('choosing a minimum priority stores its Falco name and runs the query', async () => {
  const { onChange, onRunQuery } = setup();
  const input = screen.getByLabelText('Minimum priority');
  fireEvent.focus(input);
  fireEvent.change(input, { target: { value: 'Crit' } });
  fireEvent.keyDown(input, { key: 'ArrowDown' });
  fireEvent.keyDown(input, { key: 'Enter' });
  await waitFor(() => expect(onChange).toHaveBeenCalled());
  expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'rules', minPriority: 'critical' });
  expect(onRunQuery).toHaveBeenCalledTimes(1);
});
