import React from 'react';
import { Alert, Button, Stack, Text } from '@grafana/ui';
import type { Release } from '../../api/deploy';

const TOOL_NAMES: Record<string, string> = { flux: 'Flux', argocd: 'Argo CD' };

export function isGitOpsManaged(r: Release): boolean {
  return !!r.managedBy && r.managedBy.kind !== 'helm';
}

// GitOpsNotice says a Flux or Argo CD release is not deployed from Grafana (its controller would revert it) and
// offers the export instead.
export function GitOpsNotice({ release, onExport }: { release: Release; onExport: () => void }) {
  if (!isGitOpsManaged(release)) {
    return null;
  }
  const tool = TOOL_NAMES[release.managedBy!.kind] ?? release.managedBy!.kind;
  return (
    <Alert severity="info" title={`Managed by ${tool}: deploy from your Git repository`}>
      <Stack direction="column" gap={1}>
        <Text>
          {`${release.managedBy!.detail ?? tool} owns this release and would revert an upgrade made from Grafana. Export the working copy as ${
            release.managedBy!.kind === 'flux' ? 'HelmRelease.spec.values' : "the Application's helm valuesObject"
          } and commit it; preview and history still work here.`}
        </Text>
        <div>
          <Button size="sm" variant="secondary" icon="download-alt" onClick={onExport}>
            Export the working copy
          </Button>
        </div>
      </Stack>
    </Alert>
  );
}
