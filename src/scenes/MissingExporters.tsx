import React from 'react';
import { Alert, Stack, Text } from '@grafana/ui';
import { EXPORTERS } from '../queries';
import type { Exporter } from '../queries/types';

interface Props {
  title: string;
  exporters: Exporter[];
}

// Stands in for a panel whose exporter Prometheus has never scraped: says which one and how to enable it.
export function MissingExporters({ title, exporters }: Props) {
  const names = exporters.map((e) => EXPORTERS[e].title).join(' and ');
  return (
    <Alert severity="info" title={`${title}: Prometheus has no ${names} metrics`}>
      <Stack direction="column" gap={1}>
        {exporters.map((e) => (
          <Text key={e}>{EXPORTERS[e].howToEnable}</Text>
        ))}
      </Stack>
    </Alert>
  );
}
