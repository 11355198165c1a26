import React from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, Input } from '@grafana/ui';
import { FalcoOptions, FalcoSecureOptions } from '../types';
import { validateOptions } from './validation';

type Props = DataSourcePluginOptionsEditorProps<FalcoOptions, FalcoSecureOptions>;

// Store size and the cluster events belong to; sits in the Event store field set of the config editor.
export function EventSettings({ options, onOptionsChange }: Props) {
  const jsonData = options.jsonData;
  const errors = validateOptions(jsonData);
  const set = (patch: Partial<FalcoOptions>) => onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  return (
    <>
      <Field
        label="Maximum store size (MB)"
        description="How large the embedded store may grow on disk; 1024 when empty"
        invalid={!!errors.maxStoreMB}
        error={errors.maxStoreMB}
      >
        <Input
          id="falco-max-store-mb"
          type="number"
          width={20}
          placeholder="1024"
          value={jsonData.maxStoreMB ?? ''}
          onChange={(e) => {
            const raw = e.currentTarget.value;
            set({ maxStoreMB: raw === '' ? undefined : Number(raw) });
          }}
        />
      </Field>
      <Field
        label="Cluster field"
        description="The Falco output field that names an event's cluster, e.g. one falcosidekick adds with customfields"
      >
        <Input
          id="falco-cluster-field"
          width={40}
          placeholder="cluster"
          value={jsonData.clusterField ?? ''}
          onChange={(e) => set({ clusterField: e.currentTarget.value.trim() || undefined })}
        />
      </Field>
      <Field label="Default cluster" description="The cluster of events that do not name one">
        <Input
          id="falco-default-cluster"
          width={40}
          placeholder="prod-eu-1"
          value={jsonData.defaultCluster ?? ''}
          onChange={(e) => set({ defaultCluster: e.currentTarget.value.trim() || undefined })}
        />
      </Field>
    </>
  );
}
