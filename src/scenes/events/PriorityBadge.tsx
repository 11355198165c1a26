import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { priorityColor, priorityName } from './priority';
import { oneLine } from './displayText';

// A priority in its fixed colour (the same as the counts chart); an unknown name is shown as text, escaped.
export function PriorityBadge({ priority }: { priority: string }) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const name = priorityName(priority);
  const color = priorityColor(priority);
  if (!name || !color) {
    return <span>{oneLine(priority, 40)}</span>;
  }
  return (
    <span className={styles.badge}>
      <span className={styles.dot} style={{ background: theme.visualization.getColorByName(color) }} />
      {name}
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  badge: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.75), whiteSpace: 'nowrap' }),
  dot: css({ width: 10, height: 10, borderRadius: theme.shape.radius.circle, flexShrink: 0 }),
});
