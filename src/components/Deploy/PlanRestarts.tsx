import React from 'react';
import { Alert, Stack, Text } from '@grafana/ui';
import type { Plan } from '../../api/deploy';

// PlanRestarts says which pods the change restarts and which custom files the release never loads.
export function PlanRestarts({ plan }: { plan: Plan }) {
  const restarts = plan.restarts ?? [];
  const rf = plan.rulesFiles;
  return (
    <>
      {restarts.length > 0 && (
        <section aria-label="Pods that restart">
          <Stack direction="column" gap={0.5}>
            <Text element="h5">What restarts</Text>
            {restarts.map((r) => (
              <Text key={`${r.kind}/${r.namespace}/${r.name}`}>{r.message}</Text>
            ))}
          </Stack>
        </section>
      )}
      {rf && (
        <section aria-label="Rules files the release loads">
          <Stack direction="column" gap={0.5}>
            <Text color="secondary">
              {`Validated as this release loads rules (falco.rules_files: ${rf.rulesFiles.join(', ')}): ${
                rf.loadsDefaults
                  ? 'after Falco\u2019s default ruleset'
                  : 'without Falco\u2019s default ruleset, which it does not load'
              }.`}
            </Text>
            {rf.notLoaded.length > 0 && (
              <Alert severity="warning" title="Files this release never loads">
                {`${rf.notLoaded.join(', ')}: the release's falco.rules_files does not include /etc/falco/rules.d.`}
              </Alert>
            )}
          </Stack>
        </section>
      )}
    </>
  );
}
