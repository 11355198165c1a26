import React, { useRef, useState } from 'react';
import { Alert, Button, Stack, Text } from '@grafana/ui';
import { applyRecover, DeployError, Plan, planRecover, Release, toDeployError } from '../../api/deploy';
import type { RuleDiagnostic } from '../../api/rules';
import { PlanAndApply } from './PlanAndApply';

interface Props {
  datasourceUid: string;
  target: Release;
  timeoutSeconds: number;
  fileNames: string[];
  onGoTo: (d: RuleDiagnostic) => void;
  onError: (e: DeployError) => void;
  onRecovered: () => void;
}

// Helm refuses every change to a release left in pending-install, pending-upgrade or pending-rollback.
export function isPending(status: string): boolean {
  return status.startsWith('pending-');
}

// RecoverPending is the way out of a pending-* release from Grafana: the backend's deploy/recover rolls back to the
// last deployed revision, as `helm rollback` does, behind the same preview and Admin confirmation as any change.
export function RecoverPending({
  datasourceUid,
  target,
  timeoutSeconds,
  fileNames,
  onGoTo,
  onError,
  onRecovered,
}: Props) {
  const [preview, setPreview] = useState<{ plan: Plan; seq: number }>();
  const previews = useRef(0);
  if (!isPending(target.status)) {
    return null;
  }
  const showPreview = async () => {
    setPreview(undefined);
    try {
      setPreview({ plan: await planRecover(datasourceUid, target, target.revision), seq: ++previews.current });
    } catch (e) {
      onError(toDeployError(e));
    }
  };
  const to = preview?.plan.rollbackTo;
  return (
    <Alert
      severity="warning"
      title={`Revision ${target.revision} is ${target.status}: Helm refuses every change until it is recovered`}
    >
      <Stack direction="column" gap={1}>
        <Text>
          An install, upgrade or rollback that was interrupted leaves the release pending. Recovering rolls it back to
          its last deployed revision, as helm rollback does, and records you in its history.
        </Text>
        <div>
          <Button variant="secondary" icon="history" onClick={showPreview}>
            Preview the recovery
          </Button>
        </div>
        {preview && (
          <PlanAndApply
            key={preview.seq}
            datasourceUid={datasourceUid}
            plan={preview.plan}
            timeoutSeconds={timeoutSeconds}
            actionLabel={to ? `Recover to revision ${to}` : 'Recover'}
            confirmBody={`Helm rolls ${target.namespace}/${target.name} back from ${target.status} revision ${target.revision} to the values and chart of revision ${to ?? 'the last deployed one'}, as a new revision. Falco pods restart one by one.`}
            apply={(confirmWarnings) => applyRecover(datasourceUid, target, preview.plan.baseRevision, confirmWarnings)}
            onApplied={onRecovered}
            onError={onError}
            fileNames={fileNames}
            onGoTo={onGoTo}
          />
        )}
      </Stack>
    </Alert>
  );
}
