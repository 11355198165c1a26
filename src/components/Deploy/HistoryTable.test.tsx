import React from 'react';
import { render, screen, within } from '@testing-library/react';
import type { HistoryRevision } from '../../api/deploy';
import { HistoryTable } from './HistoryTable';

const rev = (revision: number, more: Partial<HistoryRevision>): HistoryRevision => ({
  revision,
  updated: '2026-12-01T10:00:00Z',
  status: 'superseded',
  chartVersion: '9.1.0',
  appVersion: '0.44.1',
  description: '',
  user: 'admin',
  files: ['tuning.yaml'],
  ...more,
});

test('each revision names the rules it changed, or says they cannot be told', () => {
  render(
    <HistoryTable
      revisions={[
        rev(3, { rules: ['Terminal shell in container', 'Read sensitive file, untrusted'] }),
        rev(2, { rules: [], rulesUnknown: true }),
        rev(1, { rules: [] }),
      ]}
      currentRevision={3}
      compare={[]}
      onCompareToggle={() => {}}
    />
  );
  expect(screen.getByRole('columnheader', { name: 'Rules changed' })).toBeInTheDocument();
  const rows = screen.getAllByRole('row').slice(1);
  expect(within(rows[0]).getByText('Terminal shell in container, Read sensitive file, untrusted')).toBeInTheDocument();
  expect(within(rows[1]).getByText('unknown')).toBeInTheDocument();
  expect(within(rows[2]).getAllByText('—')).toHaveLength(1);
});
