import React from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Text, useStyles2 } from '@grafana/ui';

interface Props {
  // Unified diff text as the backend computed it; this component only colours its lines.
  diff: string;
  label: string;
}

export type DiffLineKind = 'added' | 'removed' | 'hunk' | 'header' | 'context';

// diffLineKind classifies one line of a unified diff by its first character(s).
export function diffLineKind(line: string): DiffLineKind {
  if (line.startsWith('+++') || line.startsWith('---')) {
    return 'header';
  }
  if (line.startsWith('@@')) {
    return 'hunk';
  }
  if (line.startsWith('+')) {
    return 'added';
  }
  if (line.startsWith('-')) {
    return 'removed';
  }
  return 'context';
}

// DiffView shows a unified diff with added lines green and removed lines red.
export function DiffView({ diff, label }: Props) {
  const styles = useStyles2(getStyles);
  const lines = diff.replace(/\n$/, '').split('\n');
  if (diff.trim() === '') {
    return <Text color="secondary">No difference.</Text>;
  }
  return (
    <pre className={styles.pre} aria-label={label}>
      {lines.map((line, i) => {
        const kind = diffLineKind(line);
        return (
          <div key={i} className={cx(styles.line, styles[kind])} data-diff={kind}>
            {line === '' ? ' ' : line}
          </div>
        );
      })}
    </pre>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  pre: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    maxHeight: 480,
    overflow: 'auto',
    padding: theme.spacing(1, 0),
    margin: 0,
  }),
  line: css({ whiteSpace: 'pre', padding: theme.spacing(0, 1) }),
  added: css({ background: theme.colors.success.transparent, color: theme.colors.success.text }),
  removed: css({ background: theme.colors.error.transparent, color: theme.colors.error.text }),
  hunk: css({ color: theme.colors.info.text }),
  header: css({ color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium }),
  context: css({}),
});
