import React from 'react';
import { Alert, Button, LinkButton, Stack, Text } from '@grafana/ui';
import type { DeployError, DeploySettingsView } from '../../api/deploy';
import type { RuleDiagnostic } from '../../api/rules';
import { ProblemsList } from '../RuleEditor/ProblemsList';
import { describeDeployError } from './deployErrors';
import { deployTestIds } from './testIds';

interface Props {
  error: DeployError;
  datasourceUid: string;
  settings?: DeploySettingsView;
  // The working copy's file names: a problem in one of them can be jumped to.
  fileNames: string[];
  onReload?: () => void;
  onExport?: () => void;
  onGoTo?: (d: RuleDiagnostic) => void;
}

export const datasourceSettingsUrl = (uid: string) => `/connections/datasources/edit/${encodeURIComponent(uid)}`;

// DeployErrorAlert says what went wrong in the backend's words, what it means, and offers the way out.
export function DeployErrorAlert({ error, datasourceUid, settings, fileNames, onReload, onExport, onGoTo }: Props) {
  const view = describeDeployError(error, settings);
  return (
    <div data-testid={deployTestIds.error}>
      <Alert severity={view.severity ?? 'error'} title={view.title}>
        <Stack direction="column" gap={1}>
          <Text>{view.message}</Text>
          {view.hint && <Text color="secondary">{view.hint}</Text>}
          {error.warnings.length > 0 && (
            <ul aria-label="Warnings to confirm">
              {error.warnings.map((w, i) => (
                <li key={i}>{w.message}</li>
              ))}
            </ul>
          )}
          {view.actions.includes('problems') && onGoTo && (
            <ProblemsList diagnostics={error.diagnostics} fileNames={fileNames} onSelect={onGoTo} />
          )}
          <Stack gap={1}>
            {view.actions.includes('reload') && onReload && (
              <Button size="sm" variant="secondary" icon="sync" onClick={onReload}>
                Reload the release
              </Button>
            )}
            {view.actions.includes('export') && onExport && (
              <Button size="sm" variant="secondary" icon="download-alt" onClick={onExport}>
                Export the working copy
              </Button>
            )}
            {view.actions.includes('datasourceSettings') && (
              <LinkButton size="sm" variant="secondary" icon="cog" href={datasourceSettingsUrl(datasourceUid)}>
                Open the Falco datasource settings
              </LinkButton>
            )}
          </Stack>
        </Stack>
      </Alert>
    </div>
  );
}
