import React from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Badge, Stack, Text, useStyles2 } from '@grafana/ui';
import type { QueryEntry } from '../../queries/types';
import { EXPORTERS } from '../../queries';
import { groupByCategory } from './filters';
import type { LibraryScene } from './LibraryScene';
import { testIds } from './testIds';

// The entries that pass the filters, grouped by category; an entry whose exporter this Prometheus lacks says so.
export function EntryList({ model }: { model: LibraryScene }) {
  const { entryId } = model.useState();
  const styles = useStyles2(getStyles);
  const groups = groupByCategory(model.visibleEntries());
  if (groups.length === 0) {
    return <Text color="secondary">No query matches these filters.</Text>;
  }
  return (
    <Stack direction="column" gap={2}>
      {groups.map((group) => (
        <section key={group.category} aria-label={group.title}>
          <Text element="h4">{group.title}</Text>
          <ul className={styles.list}>
            {group.entries.map((entry) => (
              <li key={entry.id}>
                <button
                  type="button"
                  data-testid={testIds.entry(entry.id)}
                  aria-current={entry.id === entryId}
                  className={cx(styles.entry, entry.id === entryId && styles.selected)}
                  onClick={() => model.selectEntry(entry.id)}
                >
                  <EntryLabel model={model} entry={entry} />
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Stack>
  );
}

function EntryLabel({ model, entry }: { model: LibraryScene; entry: QueryEntry }) {
  model.useState(); // re-render when exporter checks come back
  const missing = model.missingExporters(entry);
  return (
    <Stack direction="column" gap={0.5}>
      <Text weight="medium">{entry.title}</Text>
      <Text variant="bodySmall" color="secondary">
        {entry.id}
      </Text>
      {missing.length > 0 && (
        <Badge
          color="orange"
          icon="exclamation-triangle"
          text={`Needs ${missing.map((e) => EXPORTERS[e].title).join(', ')}`}
        />
      )}
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ listStyle: 'none', margin: 0, padding: 0 }),
  entry: css({
    width: '100%',
    textAlign: 'left',
    background: 'none',
    border: 'none',
    borderLeft: `3px solid transparent`,
    padding: theme.spacing(0.75, 1),
    cursor: 'pointer',
    '&:hover': { background: theme.colors.action.hover },
  }),
  selected: css({ borderLeftColor: theme.colors.primary.main, background: theme.colors.action.selected }),
});
