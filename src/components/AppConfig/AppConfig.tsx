import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { AppPluginMeta, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { getBackendSrv, locationService } from '@grafana/runtime';
import { Alert, Button, Stack } from '@grafana/ui';
import { effectiveSettings } from '../../appSettings';
import { AppSettings } from '../../constants';
import { DatasourcesSection } from './DatasourcesSection';
import { RulesSection } from './RulesSection';
import { testIds } from './testIds';

export { testIds };

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

// The config page is a column of sections; the custom Falco rules editor joins as its own section below the datasources.
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
      <DatasourcesSection value={settings} onChange={setSettings} />
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
      <RulesSection falcoDatasourceUid={settings.falcoDatasourceUid} />
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
