import React, { useEffect, useRef, useState } from 'react';
import { Button, Stack, Text } from '@grafana/ui';
import {
  applyRollback,
  DeployError,
  FileDiff,
  getHistory,
  getHistoryDiff,
  HistoryRevision,
  Plan,
  planRollback,
  toDeployError,
} from '../../api/deploy';
import type { WorkingCopyHandle } from '../RuleEditor/workingCopyHandle';
import { DeployErrorAlert } from './DeployErrorAlert';
import { DiffCollapse } from './DiffCollapse';
import { releaseKey, useDeployTarget } from './DeployTargetContext';
import { isGitOpsManaged } from './GitOpsNotice';
import { HistoryTable } from './HistoryTable';
import { PlanAndApply } from './PlanAndApply';
import { RecoverPending } from './RecoverPending';
import { deployTestIds } from './testIds';

interface Props {
  workingCopy: WorkingCopyHandle;
  // Changes after every deploy or rollback, so the table shows the new revision.
  refreshKey: number;
  onRolledBack: () => void;
}

interface RollbackPlan {
  plan: Plan;
  toRevision: number;
  seq: number;
}

// HistorySection (keyed by the release) is the release's history: revisions, a diff between any two, and rolling back behind a preview.
export function HistorySection({ workingCopy, refreshKey, onRolledBack }: Props) {
  const t = useDeployTarget();
  const target = t.target;
  const targetKey = target ? releaseKey(target) : '';
  const [revisions, setRevisions] = useState<HistoryRevision[]>();
  const [error, setError] = useState<DeployError>();
  const [compare, setCompare] = useState<number[]>([]);
  const [diff, setDiff] = useState<{ from: number; to: number; files: FileDiff[] }>();
  const [rollback, setRollback] = useState<RollbackPlan>();
  const previews = useRef(0);

  useEffect(() => {
    if (!target) {
      return;
    }
    let current = true;
    getHistory(t.datasourceUid, target).then(
      (r) => current && (setRevisions(r), setError(undefined)),
      (e) => current && setError(toDeployError(e))
    );
    return () => {
      current = false;
    };
    // The target object changes with every refresh; its key and the refresh counter are what matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [t.datasourceUid, targetKey, refreshKey]);

  if (!target) {
    return null;
  }

  const showDiff = async () => {
    const [from, to] = [...compare].sort((a, b) => a - b);
    setError(undefined);
    try {
      setDiff({ from, to, files: await getHistoryDiff(t.datasourceUid, target, from, to) });
    } catch (e) {
      setError(toDeployError(e));
    }
  };

  const previewRollback = async (toRevision: number) => {
    setError(undefined);
    setRollback(undefined);
    try {
      const plan = await planRollback(t.datasourceUid, target, target.revision, toRevision);
      setRollback({ plan, toRevision, seq: ++previews.current });
    } catch (e) {
      setError(toDeployError(e));
    }
  };

  const fileNames = workingCopy.files.map((f) => f.name);
  const current = revisions?.[0]?.revision ?? target.revision;

  return (
    <section aria-label="History" data-testid={deployTestIds.history}>
      <Stack direction="column" gap={2}>
        <Text element="h2" variant="h4">{`History of ${releaseKey(target)}`}</Text>
        {!isGitOpsManaged(target) && (
          <RecoverPending
            datasourceUid={t.datasourceUid}
            target={target}
            timeoutSeconds={t.timeoutSeconds}
            fileNames={fileNames}
            onGoTo={workingCopy.goTo}
            onError={setError}
            onRecovered={() => {
              t.refresh();
              onRolledBack();
            }}
          />
        )}
        {revisions && (
          <HistoryTable
            revisions={revisions}
            currentRevision={current}
            compare={compare}
            onCompareToggle={(rev, checked) =>
              setCompare((c) => (checked ? [...c, rev].slice(-2) : c.filter((x) => x !== rev)))
            }
            onRollback={isGitOpsManaged(target) ? undefined : previewRollback}
          />
        )}
        <div>
          <Button variant="secondary" icon="exchange-alt" disabled={compare.length !== 2} onClick={showDiff}>
            {compare.length === 2
              ? `Compare revisions ${Math.min(...compare)} and ${Math.max(...compare)}`
              : 'Tick two revisions to compare them'}
          </Button>
        </div>
        {error && (
          <DeployErrorAlert
            error={error}
            datasourceUid={t.datasourceUid}
            settings={t.settings}
            fileNames={fileNames}
            onReload={async () => {
              setError(undefined);
              await t.refresh();
            }}
            onExport={() => t.setExportOpen(true)}
          />
        )}
        {diff && (
          <div data-testid={deployTestIds.historyDiff}>
            <Text element="h3" variant="h5">{`Custom rules from revision ${diff.from} to ${diff.to}`}</Text>
            {diff.files.length === 0 && <Text color="secondary">The custom rules are the same in both revisions.</Text>}
            {diff.files.map((f) => (
              <DiffCollapse
                key={f.name}
                title={f.name}
                change={f.change}
                diff={f.diff}
                startOpen={f.change !== 'unchanged'}
              />
            ))}
          </div>
        )}
        {rollback && (
          <PlanAndApply
            key={rollback.seq}
            datasourceUid={t.datasourceUid}
            plan={rollback.plan}
            timeoutSeconds={t.timeoutSeconds}
            actionLabel={`Roll back to revision ${rollback.toRevision}`}
            confirmBody={`Helm rolls ${releaseKey(target)} back from revision ${rollback.plan.baseRevision} to the values and chart of revision ${rollback.toRevision}, as a new revision. Falco pods restart one by one.`}
            apply={(confirmWarnings) =>
              applyRollback(t.datasourceUid, target, rollback.plan.baseRevision, rollback.toRevision, confirmWarnings)
            }
            onApplied={() => {
              t.refresh();
              onRolledBack();
            }}
            onRolloutFinished={() => onRolledBack()}
            onError={setError}
            fileNames={fileNames}
            onGoTo={workingCopy.goTo}
          />
        )}
      </Stack>
    </section>
  );
}
