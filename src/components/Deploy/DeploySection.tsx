import React, { useRef, useState } from 'react';
import { Button, Stack, Text } from '@grafana/ui';
import { applyDeploy, DeployError, Plan, planDeploy, Release, toDeployError } from '../../api/deploy';
import type { RulesFile } from '../../api/rules';
import type { WorkingCopyHandle } from '../RuleEditor/workingCopyHandle';
import { sameFiles, saveBaseline } from './baseline';
import { DeployErrorAlert } from './DeployErrorAlert';
import { releaseKey, useDeployTarget } from './DeployTargetContext';
import { isGitOpsManaged } from './GitOpsNotice';
import { PlanAndApply } from './PlanAndApply';
import { deployTestIds } from './testIds';

interface Planned {
  plan: Plan;
  // The files the plan was made from: exactly these are deployed, never a later edit nobody previewed.
  files: RulesFile[];
  seq: number;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

// DeploySection previews deploying the working copy to the chosen release, deploys it and follows the rollout.
// It is keyed by the release, so another release starts without a plan.
export function DeploySection({ workingCopy, onDeployed }: { workingCopy: WorkingCopyHandle; onDeployed: () => void }) {
  const t = useDeployTarget();
  const [planned, setPlanned] = useState<Planned>();
  const [planning, setPlanning] = useState(false);
  const [error, setError] = useState<DeployError>();
  // Every preview gets a fresh PlanAndApply: no tick or result carries over to another plan.
  const previews = useRef(0);
  const target = t.target;
  const targetKey = target ? releaseKey(target) : '';

  const showError = (e: DeployError) => {
    setError(e);
    if (e.code === 'invalid_rules') {
      workingCopy.showProblems(e.diagnostics);
    }
  };

  const preview = async (release: Release | undefined = target) => {
    if (!release) {
      return;
    }
    setPlanning(true);
    setError(undefined);
    setPlanned(undefined);
    const files = workingCopy.files;
    try {
      const plan = await planDeploy(t.datasourceUid, release, release.revision, files);
      setPlanned({ plan, files, seq: ++previews.current });
    } catch (e) {
      showError(toDeployError(e));
    } finally {
      setPlanning(false);
    }
  };

  const reload = async () => {
    setError(undefined);
    // Every error here came from a preview or a deploy: the fresh revision gets a fresh preview.
    const fresh = await t.refresh();
    if (fresh && releaseKey(fresh) === targetKey) {
      await preview(fresh);
    }
  };

  if (!target) {
    return null;
  }
  const changedSincePreview = planned && !sameFiles(planned.files, workingCopy.files);
  const blockedReason = isGitOpsManaged(target)
    ? 'GitOps manages this release: export the working copy and commit it instead.'
    : changedSincePreview
      ? 'The working copy changed since this preview: preview again before deploying.'
      : undefined;

  return (
    <section aria-label="Deploy">
      <Stack direction="column" gap={2}>
        <Text element="h2" variant="h4">{`Deploy to ${releaseKey(target)}`}</Text>
        <Text color="secondary">
          {`Deploying makes these ${plural(workingCopy.files.length, 'file')} the release's whole customRules value through a Helm upgrade that keeps every other value; the Falco DaemonSet then restarts its pods with the new rules.`}
        </Text>
        <div>
          <Button
            data-testid={deployTestIds.preview}
            variant="secondary"
            icon={planning ? 'spinner' : 'eye'}
            disabled={planning}
            onClick={() => preview()}
          >
            Preview deployment
          </Button>
        </div>
        {workingCopy.errorCount > 0 && (
          <Text color="warning">
            {`The working copy has ${plural(workingCopy.errorCount, 'error')}: the datasource will refuse to deploy it.`}
          </Text>
        )}
        {error && (
          <DeployErrorAlert
            error={error}
            datasourceUid={t.datasourceUid}
            settings={t.settings}
            fileNames={workingCopy.files.map((f) => f.name)}
            onReload={reload}
            onExport={() => t.setExportOpen(true)}
            onGoTo={workingCopy.goTo}
          />
        )}
        {planned && (
          <PlanAndApply
            key={planned.seq}
            datasourceUid={t.datasourceUid}
            plan={planned.plan}
            timeoutSeconds={t.timeoutSeconds}
            actionLabel="Deploy"
            confirmBody={`Helm upgrades ${releaseKey(target)} from revision ${planned.plan.baseRevision} with ${plural(planned.files.length, 'rules file')} as customRules. Falco pods restart one by one to load them.`}
            blockedReason={blockedReason}
            apply={(confirmWarnings) =>
              applyDeploy(t.datasourceUid, target, planned.plan.baseRevision, planned.files, confirmWarnings)
            }
            onApplied={(r) => {
              saveBaseline(t.datasourceUid, { ...r.release, files: planned.files });
              t.refresh();
              onDeployed();
            }}
            onRolloutFinished={() => {
              t.refresh();
              onDeployed();
            }}
            onError={showError}
            fileNames={workingCopy.files.map((f) => f.name)}
            onGoTo={workingCopy.goTo}
          />
        )}
      </Stack>
    </section>
  );
}
