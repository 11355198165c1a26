import React, { useState } from 'react';
import { Alert, Button, ConfirmModal, Stack, Text } from '@grafana/ui';
import { DeployError, Plan, Release, toDeployError } from '../../api/deploy';
import type { RuleDiagnostic } from '../../api/rules';
import { deployPermission } from './permissions';
import { planHasChanges, PlanView } from './PlanView';
import { RolloutProgress } from './RolloutProgress';
import { deployTestIds } from './testIds';

export interface ApplyResult {
  release: Release;
  description?: string;
}

interface Props {
  datasourceUid: string;
  plan: Plan;
  timeoutSeconds: number;
  // "Deploy", "Roll back to revision 2": the button and the confirmation say the same.
  actionLabel: string;
  confirmBody: string;
  // Why applying this plan is not possible right now (the working copy changed since the preview, GitOps...).
  blockedReason?: string;
  apply: (confirmWarnings: boolean) => Promise<ApplyResult>;
  onError: (e: DeployError) => void;
  onApplied?: (result: ApplyResult) => void;
  onRolloutFinished?: (outcome: 'done' | 'timeout') => void;
  fileNames: string[];
  onGoTo: (d: RuleDiagnostic) => void;
}

// PlanAndApply shows a plan, asks for every warning to be ticked, applies it once confirmed, then follows the rollout.
export function PlanAndApply(props: Props) {
  const { plan, actionLabel } = props;
  const [confirmed, setConfirmed] = useState<boolean[]>(() => plan.warnings.map(() => false));
  const [asking, setAsking] = useState(false);
  const [applying, setApplying] = useState(false);
  const [result, setResult] = useState<ApplyResult>();
  const permission = deployPermission();
  const unticked = plan.warnings.length - confirmed.filter(Boolean).length;
  const changes = planHasChanges(plan);
  const disabled = !permission.allowed || !changes || unticked > 0 || !!props.blockedReason || applying || !!result;

  const apply = async () => {
    setAsking(false);
    setApplying(true);
    try {
      const r = await props.apply(plan.warnings.length > 0 && unticked === 0);
      setResult(r);
      props.onApplied?.(r);
    } catch (e) {
      props.onError(toDeployError(e));
    } finally {
      setApplying(false);
    }
  };

  return (
    <Stack direction="column" gap={2}>
      <PlanView
        plan={plan}
        confirmed={confirmed}
        onConfirm={(i, checked) => setConfirmed((c) => c.map((v, j) => (j === i ? checked : v)))}
        fileNames={props.fileNames}
        onGoTo={props.onGoTo}
      />
      {!result && (
        <Stack direction="column" gap={1}>
          <div>
            <Button
              data-testid={deployTestIds.deploy}
              variant="primary"
              icon={applying ? 'spinner' : 'upload'}
              disabled={disabled}
              onClick={() => setAsking(true)}
            >
              {actionLabel}
            </Button>
          </div>
          {!permission.allowed && (
            <Text color="secondary" data-testid={deployTestIds.permission}>
              {permission.reason ?? ''}
            </Text>
          )}
          {permission.allowed && props.blockedReason && <Text color="warning">{props.blockedReason}</Text>}
          {permission.allowed && unticked > 0 && (
            <Text color="secondary">{`Tick ${unticked === 1 ? 'the warning' : `all ${plan.warnings.length} warnings`} above to enable ${actionLabel}.`}</Text>
          )}
        </Stack>
      )}
      <ConfirmModal
        isOpen={asking}
        title={`${actionLabel}?`}
        body={props.confirmBody}
        confirmText={actionLabel}
        confirmVariant="primary"
        onConfirm={apply}
        onDismiss={() => setAsking(false)}
      />
      {result && (
        <div data-testid={deployTestIds.result}>
          <Alert
            severity="success"
            title={`Helm answered: ${result.release.namespace}/${result.release.name} is at revision ${result.release.revision} (${result.release.status})`}
          >
            {result.description ?? result.release.description ?? ''}
          </Alert>
          <RolloutProgress
            datasourceUid={props.datasourceUid}
            target={result.release}
            timeoutSeconds={props.timeoutSeconds}
            onFinished={props.onRolloutFinished}
          />
        </div>
      )}
    </Stack>
  );
}
