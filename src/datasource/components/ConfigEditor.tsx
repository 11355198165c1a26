import React from 'react';
import { DataSourcePluginOptionsEditorProps, onUpdateDatasourceJsonDataOption } from '@grafana/data';
import { Field, FieldSet, Input, RadioButtonGroup } from '@grafana/ui';
import { EventStoreKind, FalcoOptions, FalcoSecureOptions } from '../types';
import { DeploySettings } from './DeploySettings';
import { validateOptions } from './validation';
import { EventSettings } from './EventSettings';
import { IngestSettings } from './IngestSettings';
import { RulesCheckerSettings } from './RulesCheckerSettings';

type Props = DataSourcePluginOptionsEditorProps<FalcoOptions, FalcoSecureOptions>;

const STORE_OPTIONS: Array<{ label: string; value: EventStoreKind; description: string }> = [
  { label: 'Embedded (SQLite)', value: 'sqlite', description: 'Events kept in a file on the Grafana server' },
  { label: 'Loki', value: 'loki', description: "Events read from Loki, fed by falcosidekick's Loki output" },
];

export function ConfigEditor(props: Props) {
  const { options, onOptionsChange } = props;
  const jsonData = options.jsonData;
  const store = jsonData.eventStore ?? 'sqlite';
  const errors = validateOptions(jsonData);

  return (
    <>
      <FieldSet label="Event store">
        <Field label="Store" description="Where Falco events from falcosidekick are kept and queried">
          <RadioButtonGroup<EventStoreKind>
            options={STORE_OPTIONS}
            value={store}
            onChange={(v) => onOptionsChange({ ...options, jsonData: { ...jsonData, eventStore: v } })}
          />
        </Field>
        {store === 'sqlite' && (
          <Field
            label="Database file"
            description="Absolute path of the events file on the Grafana server, e.g. under Grafana's data directory"
            invalid={!!errors.sqlitePath}
            error={errors.sqlitePath}
          >
            <Input
              id="falco-sqlite-path"
              width={60}
              placeholder="/var/lib/grafana/containersec-falco/events.db"
              value={jsonData.sqlitePath ?? ''}
              onChange={onUpdateDatasourceJsonDataOption(props, 'sqlitePath')}
            />
          </Field>
        )}
        {store === 'loki' && (
          <Field label="Loki URL" required invalid={!!errors.lokiUrl} error={errors.lokiUrl}>
            <Input
              id="falco-loki-url"
              width={60}
              placeholder="http://loki:3100"
              value={jsonData.lokiUrl ?? ''}
              onChange={onUpdateDatasourceJsonDataOption(props, 'lokiUrl')}
            />
          </Field>
        )}
        <Field
          label="Retention (days)"
          description="Events older than this are deleted from the embedded store"
          invalid={!!errors.retentionDays}
          error={errors.retentionDays}
        >
          <Input
            id="falco-retention"
            type="number"
            width={20}
            placeholder="14"
            value={jsonData.retentionDays ?? ''}
            onChange={(e) => {
              const raw = e.currentTarget.value;
              onOptionsChange({
                ...options,
                jsonData: { ...jsonData, retentionDays: raw === '' ? undefined : Number(raw) },
              });
            }}
          />
        </Field>
        <EventSettings {...props} />
      </FieldSet>
      <FieldSet label="Ingest">
        <IngestSettings {...props} />
      </FieldSet>
      <RulesCheckerSettings {...props} />
      <DeploySettings {...props} />
    </>
  );
}
