import React from 'react';
import { Alert, Stack, Text } from '@grafana/ui';
import type { ExporterInfo } from '../../queries/types';
import { testIds } from './testIds';

// Shown instead of the preview: an empty graph would look like "nothing happened" when nothing is measured.
export function MissingExporters({ exporters }: { exporters: ExporterInfo[] }) {
  const names = exporters.map((e) => e.title).join(', ');
  return (
    <Alert severity="warning" title={`This Prometheus has no ${names} metrics`} data-testid={testIds.missingExporters}>
      <Stack direction="column" gap={1}>
        {exporters.map((e) => (
          <Text key={e.title}>
            <Text weight="bold">{e.title}</Text> (no <code>{e.probeMetric}</code> series): {e.howToEnable}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}
