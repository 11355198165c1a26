import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { ConfigEditor } from './ConfigEditor';

function renderEditor(jsonData: Record<string, unknown> = {}) {
  const onOptionsChange = jest.fn();
  const options = {
    id: 1,
    uid: 'falco',
    orgId: 1,
    name: 'Falco',
    type: 'containersec-falco-datasource',
    jsonData,
    secureJsonFields: {},
    secureJsonData: {},
  } as any;
  render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);
  return () => onOptionsChange.mock.calls.at(-1)[0];
}

test('the rollout guard is on by default and can be turned off', () => {
  const last = renderEditor();
  const toggle = screen.getByLabelText(/^Roll back failed rollouts/);
  expect(toggle).toBeChecked();
  fireEvent.click(toggle);
  expect(last().jsonData.rolloutGuard).toBe(false);
});

test('revisions to keep is a number from 0 to 1000, 10 by default', () => {
  const last = renderEditor();
  const input = screen.getByLabelText(/^Revisions to keep/);
  expect(input).toHaveAttribute('placeholder', '10');
  fireEvent.change(input, { target: { value: '25' } });
  expect(last().jsonData.historyMax).toBe(25);
});

test('an out-of-range revisions count is shown inline', () => {
  renderEditor({ historyMax: 5000 });
  expect(screen.getByText('Between 0 (keep all) and 1000')).toBeInTheDocument();
});
