import React, { useState } from 'react';
import { Alert, Badge, Button, Combobox, ConfirmModal, Field, Stack, Text } from '@grafana/ui';
import { DeployError, getRelease, Release, toDeployError } from '../../api/deploy';
import type { RulesFile } from '../../api/rules';
import type { WorkingCopyHandle } from '../RuleEditor/workingCopyHandle';
import { editsLostByLoading, loadBaseline, saveBaseline } from './baseline';
import { DeployErrorAlert } from './DeployErrorAlert';
import { DeployTarget, releaseKey, useDeployTarget } from './DeployTargetContext';
import { GitOpsNotice } from './GitOpsNotice';
import { deployTestIds } from './testIds';

interface PendingLoad {
  release: Release;
  files: RulesFile[];
  lost: string[];
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function connectionText(t: DeployTarget): string {
  const s = t.settings;
  const via =
    s?.kubeAccess === 'kubeconfig'
      ? `a kubeconfig${s.kubeContext ? ` (context ${s.kubeContext})` : ''}`
      : "Grafana's in-cluster service account";
  const where =
    s?.falcoNamespace === '' ? 'in the namespaces it can list' : `in namespace ${s?.falcoNamespace || 'falco'}`;
  return `Connected through ${via}: ${plural(t.releases?.length ?? 0, 'Falco release')} ${where}.`;
}

const releaseOption = (r: Release) => ({
  value: releaseKey(r),
  label: releaseKey(r),
  description: `chart ${r.chart} ${r.chartVersion}, Falco ${r.appVersion}, revision ${r.revision}, ${r.status}`,
});

// TargetSection is the deployment target above the editor: the cluster connection, the Falco release, and
// "Load from cluster", which makes the release's customRules the working copy.
export function TargetSection({ workingCopy }: { workingCopy: WorkingCopyHandle }) {
  const t = useDeployTarget();
  const [loading, setLoading] = useState(false);
  const [pending, setPending] = useState<PendingLoad>();
  const [error, setError] = useState<DeployError>();
  const [loaded, setLoaded] = useState<string>();

  const take = (p: PendingLoad) => {
    workingCopy.replaceFiles(p.files);
    saveBaseline(t.datasourceUid, { ...p.release, files: p.files });
    setLoaded(
      p.files.length === 0
        ? `${releaseKey(p.release)} revision ${p.release.revision} has no custom rules: the working copy is empty. Add a file to start.`
        : `Loaded ${plural(p.files.length, 'rules file')} from ${releaseKey(p.release)} revision ${p.release.revision}.`
    );
    setPending(undefined);
  };

  const loadFromCluster = async () => {
    if (!t.target) {
      return;
    }
    setLoading(true);
    setError(undefined);
    setLoaded(undefined);
    try {
      const { release, files } = await getRelease(t.datasourceUid, t.target);
      const lost = editsLostByLoading(workingCopy.files, files, loadBaseline(t.datasourceUid)?.files);
      const p = { release, files, lost };
      if (lost.length > 0) {
        setPending(p);
      } else {
        take(p);
      }
    } catch (e) {
      setError(toDeployError(e));
    } finally {
      setLoading(false);
    }
  };

  return (
    <section aria-label="Deployment target" data-testid={deployTestIds.target}>
      <Stack direction="column" gap={1}>
        <Text element="h2" variant="h4">
          Deployment target
        </Text>
        {t.loading && !t.releases && !t.error && <Text color="secondary">Connecting to the cluster…</Text>}
        {t.error && (
          <DeployErrorAlert
            error={t.error}
            datasourceUid={t.datasourceUid}
            settings={t.settings}
            fileNames={[]}
            onReload={t.refresh}
            onExport={() => t.setExportOpen(true)}
          />
        )}
        {t.error && (
          <div>
            <Button size="sm" variant="secondary" icon={t.loading ? 'spinner' : 'sync'} onClick={t.refresh}>
              Try again
            </Button>
          </div>
        )}
        {t.releases && (
          <Stack gap={1} alignItems="center">
            <Badge text="Connected" color="green" icon="check" />
            <Text color="secondary">{connectionText(t)}</Text>
          </Stack>
        )}
        {t.releases?.length === 0 && (
          <Alert severity="info" title="No Falco release found">
            The datasource lists Helm releases of the Falco chart. Install Falco with its Helm chart, or set the
            namespace Falco runs in in the datasource&apos;s deploy settings. The export below works meanwhile.
          </Alert>
        )}
        {t.releases && t.releases.length > 0 && (
          <Stack gap={1} alignItems="flex-end" wrap="wrap">
            <Field label="Falco release" noMargin>
              <Combobox
                id="deploy-release"
                width={60}
                options={t.releases.map(releaseOption)}
                value={t.target ? releaseKey(t.target) : null}
                onChange={(o) => t.select(o.value)}
              />
            </Field>
            <Button
              variant="secondary"
              icon={loading ? 'spinner' : 'cloud-download'}
              disabled={!t.target || loading}
              onClick={loadFromCluster}
              data-testid={deployTestIds.loadFromCluster}
            >
              Load from cluster
            </Button>
            <Button variant="secondary" fill="text" icon="sync" onClick={t.refresh}>
              Refresh
            </Button>
          </Stack>
        )}
        {t.target && <GitOpsNotice release={t.target} onExport={() => t.setExportOpen(true)} />}
        {loaded && <Text color="success">{loaded}</Text>}
        {error && (
          <DeployErrorAlert
            error={error}
            datasourceUid={t.datasourceUid}
            settings={t.settings}
            fileNames={[]}
            onReload={t.refresh}
            onExport={() => t.setExportOpen(true)}
          />
        )}
      </Stack>
      <ConfirmModal
        isOpen={!!pending}
        title="Replace the working copy?"
        body={
          pending
            ? `Loading ${releaseKey(pending.release)} revision ${pending.release.revision} replaces the working copy with its ${plural(pending.files.length, 'rules file')}. Your local edits to ${pending.lost.join(', ')} would be lost: export them first to keep them.`
            : ''
        }
        confirmText="Replace with the cluster's rules"
        onConfirm={() => pending && take(pending)}
        onDismiss={() => setPending(undefined)}
      />
    </section>
  );
}
