import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { VariableQueryEditor } from './VariableQueryEditor';

test("a variable query lists one field's values, narrowed by filters, and stays an eventValues query", async () => {
  const onChange = jest.fn();
  render(
    <VariableQueryEditor
      datasource={{} as any}
      query={{ refId: 'V', filters: { namespaces: ['web'] } }}
      onChange={onChange}
      onRunQuery={jest.fn()}
    />
  );
  expect(screen.getByLabelText('Field')).toHaveValue('Rule'); // the default field
  expect(screen.queryByLabelText('Limit')).not.toBeInTheDocument();
  const field = screen.getByLabelText('Field');
  fireEvent.focus(field);
  fireEvent.change(field, { target: { value: 'Pod' } });
  fireEvent.keyDown(field, { key: 'ArrowDown' });
  fireEvent.keyDown(field, { key: 'Enter' });
  await waitFor(() => expect(onChange).toHaveBeenCalled());
  expect(onChange).toHaveBeenLastCalledWith({
    refId: 'V',
    queryType: 'eventValues',
    field: 'pod',
    filters: { namespaces: ['web'] },
  });
});
