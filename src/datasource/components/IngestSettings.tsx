import React from 'react';
import { DataSourcePluginOptionsEditorProps, updateDatasourcePluginResetOption } from '@grafana/data';
import { Button, Field, SecretInput, Stack } from '@grafana/ui';
import { FalcoOptions, FalcoSecureOptions } from '../types';
import { FalcosidekickSetup } from './FalcosidekickSetup';
import { generateIngestToken, ingestTokenProblem } from './falcosidekick';

type Props = DataSourcePluginOptionsEditorProps<FalcoOptions, FalcoSecureOptions>;

// The ingest token (secureJsonData only) and the falcosidekick settings that send events with it; inside the
// config editor's Ingest field set.
export function IngestSettings(props: Props) {
  const { options, onOptionsChange } = props;
  const token = options.secureJsonData?.ingestToken ?? '';
  const configured = Boolean(options.secureJsonFields?.ingestToken);
  const problem = ingestTokenProblem(token);
  const setToken = (ingestToken: string) =>
    onOptionsChange({ ...options, secureJsonData: { ...options.secureJsonData, ingestToken } });
  return (
    <>
      <Stack gap={1} alignItems="flex-end">
        <Field
          label="Ingest token"
          description="falcosidekick sends it with every event it posts to Grafana; it is stored encrypted and never shown again"
          invalid={!!problem}
          error={problem}
        >
          <SecretInput
            id="falco-ingest-token"
            width={60}
            isConfigured={configured}
            value={token}
            placeholder="A long random string"
            onChange={(e) => setToken(e.currentTarget.value)}
            onReset={() => updateDatasourcePluginResetOption(props, 'ingestToken')}
          />
        </Field>
        {!configured && (
          // Level with the input, above the Field's bottom margin.
          <div style={{ marginBottom: problem ? 36 : 16 }}>
            <Button variant="secondary" icon="sync" onClick={() => setToken(generateIngestToken())}>
              Generate a token
            </Button>
          </div>
        )}
      </Stack>
      <FalcosidekickSetup uid={options.uid} token={problem ? undefined : token} tokenConfigured={configured} />
    </>
  );
}
