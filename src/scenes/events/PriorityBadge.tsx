import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { getTextColorForAlphaBackground, useStyles2, useTheme2 } from '@grafana/ui';
import { priorityColor, priorityName } from './priority';
import { oneLine } from './displayText';

// A priority as a pill in its fixed colour, the name in the text Grafana's tables put on that colour (the same
// contrast as a coloured table cell); an unknown name is shown as plain text, escaped.
export function PriorityBadge({ priority }: { priority: string }) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const name = priorityName(priority);
  const color = priorityColor(priority);
  if (!name || !color) {
    return <span>{oneLine(priority, 40)}</span>;
  }
  const background = theme.visualization.getColorByName(color);
  return (
    <span
      className={styles.badge}
      data-priority={name}
      style={{ background, color: getTextColorForAlphaBackground(background, theme.isDark) }}
    >
      {name}
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  badge: css({
    display: 'inline-block',
    padding: theme.spacing(0, 0.75),
    borderRadius: theme.shape.radius.default,
    whiteSpace: 'nowrap',
    fontSize: theme.typography.bodySmall.fontSize,
    lineHeight: 1.6,
    fontWeight: theme.typography.fontWeightMedium,
  }),
});
