import React, { lazy, Suspense } from 'react';
import { ControlledCollapse, LoadingPlaceholder, Text } from '@grafana/ui';

// The editor and the deploy panel mount, and their chunk loads, only when the admin opens the section.
const LazyRulesWorkspace = lazy(() => import('../Deploy/RulesWorkspace'));

interface Props {
  // The Falco datasource chosen above, saved or not: it is the one that validates the rules.
  falcoDatasourceUid: string;
}

// RulesSection is the custom Falco rules editor and deploy panel on the config page, the same as the Rules page.
export function RulesSection({ falcoDatasourceUid }: Props) {
  return (
    <ControlledCollapse label="Custom Falco rules">
      <Text color="secondary" element="p">
        Rules files that load after Falco&apos;s default ruleset, checked as Falco checks them while you type. Preview
        and deploy them to the Falco Helm release&apos;s customRules through the Falco datasource, roll back from the
        release history, or export them for a values file, Flux, Argo CD or a ConfigMap.
      </Text>
      <Suspense fallback={<LoadingPlaceholder text="Loading the rules editor…" />}>
        <LazyRulesWorkspace datasourceUid={falcoDatasourceUid} />
      </Suspense>
    </ControlledCollapse>
  );
}
