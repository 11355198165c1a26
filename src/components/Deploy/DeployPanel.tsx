import React, { lazy, Suspense, useState } from 'react';
import { Collapse, LoadingPlaceholder } from '@grafana/ui';
import type { WorkingCopyHandle } from '../RuleEditor/workingCopyHandle';
import { releaseKey, useDeployTarget } from './DeployTargetContext';
import { DeploySection } from './DeploySection';
import { DEFAULT_EXPORT_TARGET } from './exportTarget';
import { HistorySection } from './HistorySection';

// The export (and the yaml library it emits with) loads when the user opens it.
const LazyExportPanel = lazy(() => import('./ExportPanel'));

// DeployPanel sits below the editor: preview and deploy, the release's history, and the export for everyone.
export function DeployPanel({ workingCopy }: { workingCopy: WorkingCopyHandle }) {
  const t = useDeployTarget();
  const [historyKey, setHistoryKey] = useState(0);
  const bump = () => setHistoryKey((k) => k + 1);
  const targetKey = t.target ? releaseKey(t.target) : '';
  const chartVersion = t.releases?.find((r) => t.target && releaseKey(r) === releaseKey(t.target))?.chartVersion;
  const exportTarget = t.target
    ? { namespace: t.target.namespace, release: t.target.name, chartVersion }
    : DEFAULT_EXPORT_TARGET;

  return (
    <>
      <DeploySection key={`deploy-${targetKey}`} workingCopy={workingCopy} onDeployed={bump} />
      <HistorySection
        key={`history-${targetKey}`}
        workingCopy={workingCopy}
        refreshKey={historyKey}
        onRolledBack={bump}
      />
      <Collapse label="Export the working copy" isOpen={t.exportOpen} onToggle={() => t.setExportOpen(!t.exportOpen)}>
        <Suspense fallback={<LoadingPlaceholder text="Loading the export…" />}>
          <LazyExportPanel files={workingCopy.files} target={exportTarget} />
        </Suspense>
      </Collapse>
    </>
  );
}
