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

// What ran: the process and its command line (Falco's cmdline starts with the process name), without saying it twice.
export function processText(e: FalcoEvent): string {
  if (!e.cmdline) {
    return e.process;
  }
  return !e.process || e.cmdline.startsWith(e.process) ? e.cmdline : `${e.process}: ${e.cmdline}`;
}

// The evidence of each event, one column per fact and nothing said twice (the output, which repeats time, priority and
// rule, is in the drawer); long values wrap inside their column instead of being cut. A row opens the details.
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
          <col className={styles.process} />
          <col className={styles.image} />
          <col className={styles.host} />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Priority</th>
            <th scope="col">Rule</th>
            <th scope="col">Namespace/Pod</th>
            <th scope="col">Process and command line</th>
            <th scope="col">Image</th>
            <th scope="col">Hostname</th>
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
              <td className={styles.nowrap}>{dateTimeFormat(e.time, { timeZone })}</td>
              <td className={styles.nowrap}>
                <PriorityBadge priority={e.priority} />
              </td>
              <td>{oneLine(e.rule, 200)}</td>
              <td>{oneLine(workload(e), 200)}</td>
              <td className={styles.mono}>{oneLine(processText(e), 300)}</td>
              <td>{oneLine(e.image, 200)}</td>
              <td>{oneLine(e.hostname, 120)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  scroll: css({ overflowX: 'auto', width: '100%' }),
  // Fixed layout: a long value wraps inside its column (anywhere: a pod name has no spaces), it never widens the table.
  table: css({
    width: '100%',
    minWidth: 1000,
    tableLayout: 'fixed',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.75, 1),
      textAlign: 'left',
      verticalAlign: 'top',
      whiteSpace: 'normal',
      overflowWrap: 'anywhere',
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  row: css({
    cursor: 'pointer',
    '&:hover, &:focus-visible': { background: theme.colors.action.hover, outline: 'none' },
  }),
  nowrap: css({ whiteSpace: 'nowrap !important' as 'nowrap' }),
  mono: css({ fontFamily: theme.typography.fontFamilyMonospace, fontSize: theme.typography.bodySmall.fontSize }),
  time: css({ width: 170 }),
  priority: css({ width: 120 }),
  rule: css({ width: '18%' }),
  workload: css({ width: '17%' }),
  process: css({ width: '22%' }),
  image: css({ width: '14%' }),
  host: css({ width: '10%' }),
});
