import React from 'react';
import { css } from '@emotion/css';
import { Alert, Stack, Text, useStyles2 } from '@grafana/ui';
import { EXPORTERS } from '../queries';
import type { Exporter } from '../queries/types';

interface Props {
  title: string;
  exporters: Exporter[];
}

// The message fills a grid cell that may be a quarter of the page wide: chart values such as
// falcosidekick.serviceMonitor.enabled=true must wrap, and a long message scrolls inside its cell.
const getStyles = () => ({
  cell: css({ height: '100%', overflow: 'auto', overflowWrap: 'anywhere' }),
});

// Stands in for a panel whose exporter Prometheus has never scraped: says which one and how to enable it.
export function MissingExporters({ title, exporters }: Props) {
  const styles = useStyles2(getStyles);
  const names = exporters.map((e) => EXPORTERS[e].title).join(' and ');
  return (
    <div className={styles.cell} data-testid="missing-exporters">
      <Alert severity="info" title={`${title}: Prometheus has no ${names} metrics`}>
        <Stack direction="column" gap={1}>
          {exporters.map((e) => (
            <Text key={e}>{EXPORTERS[e].howToEnable}</Text>
          ))}
        </Stack>
      </Alert>
    </div>
  );
}
