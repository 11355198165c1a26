import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { sceneGraph } from '@grafana/scenes';
import { ClipboardButton, LinkButton, Stack, useStyles2 } from '@grafana/ui';
import type { QueryEntry } from '../../queries/types';
import { exploreUrl } from './exploreLink';
import type { LibraryScene } from './LibraryScene';
import { testIds } from './testIds';

// The PromQL exactly as the library built it, to copy or to open in Explore against the page's datasource.
export function QueryCode({ model, entry, expr }: { model: LibraryScene; entry: QueryEntry; expr: string }) {
  const styles = useStyles2(getStyles);
  const range = sceneGraph.getTimeRange(model).useState().value.raw;
  return (
    <Stack direction="column" gap={1}>
      <pre className={styles.code} data-testid={testIds.query}>
        {expr}
      </pre>
      <Stack gap={1}>
        <ClipboardButton icon="copy" variant="secondary" getText={() => expr}>
          Copy PromQL
        </ClipboardButton>
        <LinkButton
          icon="compass"
          variant="secondary"
          href={exploreUrl(model.datasourceUid, expr, range, model.legend(entry))}
        >
          Open in Explore
        </LinkButton>
      </Stack>
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  code: css({
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    margin: 0,
    padding: theme.spacing(1),
    fontFamily: theme.typography.fontFamilyMonospace,
  }),
});
