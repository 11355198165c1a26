import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { AppPluginMeta, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { DataSourcePicker, getBackendSrv, locationService } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Stack } from '@grafana/ui';
import { effectiveSettings } from '../../appSettings';
import { AppSettings, FALCO_DATASOURCE_TYPE, PROMETHEUS_DATASOURCE_TYPE } from '../../constants';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

export const testIds = {
  prometheus: 'data-testid app-config-prometheus',
  falco: 'data-testid app-config-falco',
  save: 'data-testid app-config-save',
};

const AppConfig = ({ plugin }: AppConfigProps) => {
  const { enabled, pinned, jsonData } = plugin.meta;
  const [settings, setSettings] = useState<Required<AppSettings>>(effectiveSettings(jsonData));
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const onSave = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await saveAppSettings(plugin.meta.id, { enabled, pinned, jsonData: { ...jsonData, ...settings } });
      // Grafana only hands the app its new jsonData after a reload.
      locationService.reload();
    } catch (e: unknown) {
      setError((e as { data?: { message?: string } })?.data?.message ?? String(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack direction="column" gap={2}>
      <FieldSet label="Datasources">
        <Field
          label="Prometheus"
          description="Where the app's pages run their PromQL: the Prometheus that scrapes Falco, falcosidekick, cAdvisor, kube-state-metrics, node-exporter and the API server."
        >
          <div data-testid={testIds.prometheus}>
            <DataSourcePicker
              type={PROMETHEUS_DATASOURCE_TYPE}
              current={settings.prometheusDatasourceUid}
              noDefault
              width={60}
              onChange={(ds) => setSettings({ ...settings, prometheusDatasourceUid: ds.uid })}
            />
          </div>
        </Field>
        <Field label="Falco" description="The Falco datasource of this plugin: events, the rule catalog and rules validation.">
          <div data-testid={testIds.falco}>
            <DataSourcePicker
              type={FALCO_DATASOURCE_TYPE}
              current={settings.falcoDatasourceUid}
              noDefault
              width={60}
              onChange={(ds) => setSettings({ ...settings, falcoDatasourceUid: ds.uid })}
            />
          </div>
        </Field>
      </FieldSet>
      {error && (
        <Alert severity="error" title="Settings were not saved">
          {error}
        </Alert>
      )}
      <div>
        <Button data-testid={testIds.save} onClick={onSave} disabled={saving} icon={saving ? 'spinner' : undefined}>
          Save settings
        </Button>
      </div>
    </Stack>
  );
};

export default AppConfig;

// saveAppSettings writes the app's settings through Grafana's plugin settings API (admins only; Grafana enforces it).
export async function saveAppSettings(pluginId: string, data: Partial<PluginMeta<AppSettings>>) {
  const res = await lastValueFrom(
    getBackendSrv().fetch({ url: `/api/plugins/${pluginId}/settings`, method: 'POST', data, showErrorAlert: false })
  );
  return res.data;
}
