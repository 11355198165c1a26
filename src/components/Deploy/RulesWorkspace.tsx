import React from 'react';
import { RuleEditor } from '../RuleEditor/RuleEditor';
import { DeployPanel } from './DeployPanel';
import { DeployTargetProvider } from './DeployTargetContext';
import { TargetSection } from './TargetSection';

interface Props {
  datasourceUid: string;
}

// RulesWorkspace is the rules editor with where its files come from and go to: the Falco release above, preview,
// deploy, history and export below. The config page and the Rules page both show it.
export function RulesWorkspace({ datasourceUid }: Props) {
  return (
    <DeployTargetProvider key={datasourceUid} datasourceUid={datasourceUid}>
      <RuleEditor
        datasourceUid={datasourceUid}
        above={(wc) => <TargetSection workingCopy={wc} />}
        below={(wc) => <DeployPanel workingCopy={wc} />}
      />
    </DeployTargetProvider>
  );
}

export default RulesWorkspace;
