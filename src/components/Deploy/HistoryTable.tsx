import React from 'react';
import { dateTimeFormat } from '@grafana/data';
import { Badge, BadgeColor, Button, Checkbox, InteractiveTable, Text } from '@grafana/ui';
import type { HistoryRevision } from '../../api/deploy';

const STATUS_COLORS: Record<string, BadgeColor> = {
  deployed: 'green',
  superseded: 'darkgrey',
  failed: 'red',
};

interface Props {
  revisions: HistoryRevision[];
  currentRevision: number;
  compare: number[];
  onCompareToggle: (revision: number, checked: boolean) => void;
  // Undefined when rolling back is not offered (GitOps).
  onRollback?: (revision: number) => void;
}

type Cell = { row: { original: HistoryRevision } };

// HistoryTable lists the release's revisions, newest first: pick two to compare, or one to roll back to.
export function HistoryTable({ revisions, currentRevision, compare, onCompareToggle, onRollback }: Props) {
  const columns = [
    {
      id: 'compare',
      header: 'Compare',
      cell: ({ row: { original: r } }: Cell) => (
        <Checkbox
          aria-label={`Compare revision ${r.revision}`}
          value={compare.includes(r.revision)}
          disabled={!compare.includes(r.revision) && compare.length >= 2}
          onChange={(e) => onCompareToggle(r.revision, e.currentTarget.checked)}
        />
      ),
    },
    { id: 'revision', header: 'Revision' },
    {
      id: 'updated',
      header: 'Time',
      cell: ({ row: { original: r } }: Cell) => (r.updated ? dateTimeFormat(r.updated) : ''),
    },
    {
      id: 'user',
      header: 'User',
      cell: ({ row: { original: r } }: Cell) =>
        r.user || <Text color="secondary">{r.automaticRollback ? 'automatic rollback' : 'not from Grafana'}</Text>,
    },
    {
      id: 'status',
      header: 'Status',
      cell: ({ row: { original: r } }: Cell) => <Badge text={r.status} color={STATUS_COLORS[r.status] ?? 'orange'} />,
    },
    { id: 'chartVersion', header: 'Chart' },
    {
      id: 'files',
      header: 'Files changed',
      cell: ({ row: { original: r } }: Cell) => (r.files.length ? r.files.join(', ') : '—'),
    },
    {
      id: 'rules',
      header: 'Rules changed',
      cell: ({ row: { original: r } }: Cell) =>
        r.rulesUnknown ? <Text color="secondary">unknown</Text> : r.rules?.length ? r.rules.join(', ') : '—',
    },
    { id: 'description', header: 'Description' },
    {
      id: 'rollback',
      header: '',
      cell: ({ row: { original: r } }: Cell) =>
        onRollback && r.revision !== currentRevision ? (
          <Button size="sm" variant="secondary" icon="history" onClick={() => onRollback(r.revision)}>
            Roll back to this revision
          </Button>
        ) : null,
    },
  ];
  return (
    <InteractiveTable<HistoryRevision>
      columns={columns}
      data={revisions}
      getRowId={(r) => String(r.revision)}
      pageSize={10}
    />
  );
}
