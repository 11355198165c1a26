import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { oneLine } from './displayText';
import type { FalcoEvent } from './eventRows';
import { PriorityBadge } from './PriorityBadge';
import { testIds } from './testIds';

interface Props {
  events: FalcoEvent[];
  onSelect: (event: FalcoEvent) => void;
  timeZone?: string;
}

function workload(e: FalcoEvent): string {
  if (e.namespace && e.pod) {
    return `${e.namespace}/${e.pod}`;
  }
  return e.namespace || e.pod;
}

// Falco events newest first: one line each, cut to fit (the drawer shows everything); a row opens the details.
export function EventTable({ events, onSelect, timeZone }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.scroll}>
      <table className={styles.table} data-testid={testIds.table}>
        <colgroup>
          <col className={styles.time} />
          <col className={styles.priority} />
          <col className={styles.rule} />
          <col className={styles.workload} />
          <col className={styles.host} />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th>Time</th>
            <th>Priority</th>
            <th>Rule</th>
            <th>Namespace/Pod</th>
            <th>Hostname</th>
            <th>Output</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr
              key={e.id}
              className={styles.row}
              tabIndex={0}
              aria-label={`Event ${oneLine(e.rule, 80)} at ${dateTimeFormat(e.time, { timeZone })}`}
              data-testid={testIds.row}
              onClick={() => onSelect(e)}
              onKeyDown={(k) => {
                if (k.key === 'Enter' || k.key === ' ') {
                  k.preventDefault();
                  onSelect(e);
                }
              }}
            >
              <td>{dateTimeFormat(e.time, { timeZone })}</td>
              <td>
                <PriorityBadge priority={e.priority} />
              </td>
              <td>{oneLine(e.rule, 120)}</td>
              <td>{oneLine(workload(e), 120)}</td>
              <td>{oneLine(e.hostname, 80)}</td>
              <td>{oneLine(e.output)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  scroll: css({ overflowX: 'auto', width: '100%' }),
  // Fixed layout: a long value is cut by its column, it never widens the table past the page.
  table: css({
    width: '100%',
    minWidth: 900,
    tableLayout: 'fixed',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.75, 1),
      textAlign: 'left',
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  row: css({
    cursor: 'pointer',
    '&:hover, &:focus-visible': { background: theme.colors.action.hover, outline: 'none' },
  }),
  time: css({ width: 170 }),
  priority: css({ width: 120 }),
  rule: css({ width: '22%' }),
  workload: css({ width: '18%' }),
  host: css({ width: '12%' }),
});
