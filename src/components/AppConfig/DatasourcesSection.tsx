import React from 'react';
import { DataSourcePicker } from '@grafana/runtime';
import { Field, FieldSet } from '@grafana/ui';
import { AppSettings, FALCO_DATASOURCE_TYPE, PROMETHEUS_DATASOURCE_TYPE } from '../../constants';
import { testIds } from './testIds';

interface Props {
  value: Required<AppSettings>;
  onChange: (value: Required<AppSettings>) => void;
}

// DatasourcesSection picks the Prometheus and the Falco datasource the app's pages query.
export function DatasourcesSection({ value, onChange }: Props) {
  return (
    <FieldSet label="Datasources">
      <Field
        label="Prometheus"
        description="Where the app's pages run their PromQL: the Prometheus that scrapes Falco, falcosidekick, cAdvisor, kube-state-metrics, node-exporter and the API server."
      >
        <div data-testid={testIds.prometheus}>
          <DataSourcePicker
            type={PROMETHEUS_DATASOURCE_TYPE}
            current={value.prometheusDatasourceUid}
            noDefault
            width={60}
            onChange={(ds) => onChange({ ...value, prometheusDatasourceUid: ds.uid })}
          />
        </div>
      </Field>
      <Field
        label="Falco"
        description="The Falco datasource of this plugin: events, the rule catalog and rules validation."
      >
        <div data-testid={testIds.falco}>
          <DataSourcePicker
            type={FALCO_DATASOURCE_TYPE}
            current={value.falcoDatasourceUid}
            noDefault
            width={60}
            onChange={(ds) => onChange({ ...value, falcoDatasourceUid: ds.uid })}
          />
        </div>
      </Field>
    </FieldSet>
  );
}
