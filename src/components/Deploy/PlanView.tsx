import React from 'react';
import { Alert, Badge, Checkbox, Stack, Text } from '@grafana/ui';
import type { Plan } from '../../api/deploy';
import type { RuleDiagnostic } from '../../api/rules';
import { ProblemsList } from '../RuleEditor/ProblemsList';
import { DiffCollapse } from './DiffCollapse';
import { PlanRestarts } from './PlanRestarts';
import { deployTestIds } from './testIds';

interface Props {
  plan: Plan;
  confirmed: boolean[];
  onConfirm: (index: number, checked: boolean) => void;
  fileNames: string[];
  onGoTo: (d: RuleDiagnostic) => void;
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function planHasChanges(plan: Plan): boolean {
  return plan.objects.length > 0 || plan.files.some((f) => f.change !== 'unchanged');
}

// PlanView is the honest preview: per rules file a diff, every rendered object that changes, and each warning to tick.
export function PlanView({ plan, confirmed, onConfirm, fileNames, onGoTo }: Props) {
  const changedFiles = plan.files.filter((f) => f.change !== 'unchanged');
  const r = plan.release;
  return (
    <div data-testid={deployTestIds.plan}>
      <Stack direction="column" gap={2}>
        <Text element="h2" variant="h4">
          {`Preview for ${r.namespace}/${r.name}: revision ${plan.baseRevision}, chart ${r.chart} ${r.chartVersion}`}
        </Text>
        {!planHasChanges(plan) && (
          <Alert severity="success" title="Nothing to change">
            The release already runs exactly these rules.
          </Alert>
        )}
        {plan.warnings.length > 0 && (
          <Alert severity="warning" title={`${count(plan.warnings.length, 'warning')} to confirm before deploying`}>
            <Stack direction="column" gap={1}>
              <Text>
                This upgrade changes more than the rules ConfigMap and the DaemonSet&apos;s rules checksum. Read each
                warning and tick it.
              </Text>
              {plan.warnings.map((w, i) => (
                <Checkbox
                  key={`${w.code}-${i}`}
                  value={confirmed[i] ?? false}
                  onChange={(e) => onConfirm(i, e.currentTarget.checked)}
                  label={w.message}
                />
              ))}
            </Stack>
          </Alert>
        )}
        <section aria-label="Rules files">
          <Text
            element="h3"
            variant="h5"
          >{`Rules files: ${count(changedFiles.length, 'file')} changed of ${plan.files.length}`}</Text>
          {plan.files.map((f) => (
            <DiffCollapse
              key={f.name}
              title={f.name}
              change={f.change}
              diff={f.diff}
              startOpen={f.change !== 'unchanged'}
            />
          ))}
        </section>
        {plan.valuesDiff && (
          <DiffCollapse title="Helm values of the release (helm get values)" change="modified" diff={plan.valuesDiff} />
        )}
        {plan.serverValidated !== undefined && (
          <Text color={plan.serverValidated ? 'success' : 'secondary'}>
            {plan.serverValidated
              ? "The cluster's API server accepted every changed object in a dry run."
              : "Rendered by Helm; the API server's dry run did not check these objects."}
          </Text>
        )}
        <PlanRestarts plan={plan} />
        <section aria-label="Kubernetes objects">
          <Text element="h3" variant="h5">{`Kubernetes objects that change: ${plan.objects.length}`}</Text>
          {plan.objects.map((o) => (
            <DiffCollapse
              key={`${o.kind}/${o.namespace}/${o.name}`}
              title={`${o.kind} ${o.namespace}/${o.name}`}
              change={o.change}
              diff={o.diff}
              extra={
                o.expected ? (
                  <Badge
                    text="expected"
                    color="blue"
                    tooltip="The rules ConfigMap, or the DaemonSet's rules checksum"
                  />
                ) : (
                  <Badge text="unexpected" color="red" icon="exclamation-triangle" />
                )
              }
            />
          ))}
        </section>
        {plan.diagnostics.length > 0 && (
          <section aria-label="Rule warnings">
            <Text
              element="h3"
              variant="h5"
            >{`Falco would load these rules with ${count(plan.diagnostics.length, 'warning')}`}</Text>
            <ProblemsList diagnostics={plan.diagnostics} fileNames={fileNames} onSelect={onGoTo} />
          </section>
        )}
      </Stack>
    </div>
  );
}
