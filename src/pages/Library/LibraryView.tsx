import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { SceneComponentProps } from '@grafana/scenes';
import { Alert, Text, useStyles2 } from '@grafana/ui';
import type { LibraryScene } from './LibraryScene';
import { FilterBar } from './FilterBar';
import { EntryList } from './EntryList';
import { EntryDetail } from './EntryDetail';

// The page: filters on top, the matching entries on the left, the selected entry on the right.
export function LibraryView({ model }: SceneComponentProps<LibraryScene>) {
  const { entryId } = model.useState();
  const styles = useStyles2(getStyles);
  const entry = model.selectedEntry();
  return (
    <div className={styles.page}>
      <FilterBar model={model} />
      <div className={styles.columns}>
        <div className={styles.list}>
          <EntryList model={model} />
        </div>
        <div className={styles.detail}>
          {entry && <EntryDetail model={model} entry={entry} />}
          {!entry && entryId && (
            <Alert severity="warning" title={`No query named "${entryId}" in the library`}>
              The link may name a query that was renamed or removed. Pick one from the list.
            </Alert>
          )}
          {!entryId && <Text color="secondary">Select a query to see what it detects, its PromQL and a preview.</Text>}
        </div>
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  columns: css({ display: 'flex', gap: theme.spacing(2), alignItems: 'flex-start' }),
  list: css({ flex: '0 0 360px', maxHeight: '80vh', overflowY: 'auto' }),
  detail: css({ flex: '1 1 auto', minWidth: 0 }),
});
