import React from 'react';
import { Field, InlineSwitch, Input } from '@grafana/ui';
import { DEFAULT_HISTORY_MAX, DeployOptions, MAX_HISTORY_MAX } from '../deployOptions';

interface Props {
  jsonData: DeployOptions;
  set: (patch: Partial<DeployOptions>) => void;
}

export function historyMaxProblem(n: number | undefined): string | undefined {
  if (n === undefined || (Number.isInteger(n) && n >= 0 && n <= MAX_HISTORY_MAX)) {
    return undefined;
  }
  return `Between 0 (keep all) and ${MAX_HISTORY_MAX}`;
}

// GuardHistoryFields: the rollout guard switch and how many Helm revisions to keep.
export function GuardHistoryFields({ jsonData, set }: Props) {
  const historyProblem = historyMaxProblem(jsonData.historyMax);
  return (
    <>
      <Field
        label="Roll back failed rollouts"
        description="After a deploy, the backend watches the new Falco pods and rolls back to the previous revision when one crash-loops or the rollout is not done within the rollout timeout"
      >
        <InlineSwitch
          id="falco-rollout-guard"
          value={jsonData.rolloutGuard ?? true}
          onChange={(e) => set({ rolloutGuard: e.currentTarget.checked })}
        />
      </Field>
      <Field
        label="Revisions to keep"
        description="Helm revisions kept per release on each deploy and rollback (helm --history-max); 0 keeps all"
        invalid={!!historyProblem}
        error={historyProblem}
      >
        <Input
          id="falco-history-max"
          type="number"
          width={20}
          placeholder={String(DEFAULT_HISTORY_MAX)}
          value={jsonData.historyMax ?? ''}
          onChange={(e) => {
            const raw = e.currentTarget.value;
            set({ historyMax: raw === '' ? undefined : Number(raw) });
          }}
        />
      </Field>
    </>
  );
}
