import React, { useState } from 'react';
import { Badge, BadgeColor, Collapse, Stack } from '@grafana/ui';
import { DiffView } from './DiffView';

const CHANGE_COLORS: Record<string, BadgeColor> = {
  added: 'green',
  modified: 'orange',
  removed: 'red',
  unchanged: 'darkgrey',
};

interface Props {
  title: string;
  change: string;
  diff: string;
  extra?: React.ReactNode;
  startOpen?: boolean;
}

// DiffCollapse is one file's or object's change: a title with its kind of change, the diff when opened.
export function DiffCollapse({ title, change, diff, extra, startOpen = false }: Props) {
  const [open, setOpen] = useState(startOpen);
  return (
    <Collapse
      isOpen={open}
      onToggle={() => setOpen(!open)}
      label={
        <Stack gap={1} alignItems="center">
          <span>{title}</span>
          <Badge text={change} color={CHANGE_COLORS[change] ?? 'blue'} />
          {extra}
        </Stack>
      }
    >
      <DiffView diff={diff} label={`Diff of ${title}`} />
    </Collapse>
  );
}
