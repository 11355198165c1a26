import React, { lazy, Suspense } from 'react';
import { ControlledCollapse, LoadingPlaceholder, Text } from '@grafana/ui';

// The editor mounts, and its chunk loads, only when the admin opens the section.
const LazyRuleEditor = lazy(() => import('../RuleEditor/RuleEditor').then((m) => ({ default: m.RuleEditor })));

interface Props {
  // The Falco datasource chosen above, saved or not: it is the one that validates the rules.
  falcoDatasourceUid: string;
}

// RulesSection is the custom Falco rules editor on the config page, the same editor as the Rules page.
export function RulesSection({ falcoDatasourceUid }: Props) {
  return (
    <ControlledCollapse label="Custom Falco rules">
      <Text color="secondary" element="p">
        Rules files that load after Falco&apos;s default ruleset, checked as Falco checks them while you type. Deploying
        them to the cluster comes in a later release.
      </Text>
      <Suspense fallback={<LoadingPlaceholder text="Loading the rules editor…" />}>
        <LazyRuleEditor datasourceUid={falcoDatasourceUid} />
      </Suspense>
    </ControlledCollapse>
  );
}
