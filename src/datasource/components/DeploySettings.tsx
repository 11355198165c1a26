import React from 'react';
import {
  DataSourcePluginOptionsEditorProps,
  onUpdateDatasourceJsonDataOption,
  onUpdateDatasourceSecureJsonDataOption,
  updateDatasourcePluginResetOption,
} from '@grafana/data';
import { Field, FieldSet, Input, RadioButtonGroup, SecretInput, SecretTextArea, Switch, Text } from '@grafana/ui';
import {
  ChartSource,
  DEFAULT_CHART_OCI_REF,
  DEFAULT_CHART_REPOSITORY,
  DEFAULT_FALCO_NAMESPACE,
  DEFAULT_ROLLOUT_TIMEOUT_SECONDS,
  KubeAccess,
} from '../deployOptions';
import { FalcoOptions, FalcoSecureOptions } from '../types';
import { validateDeployOptions } from './deployValidation';
import { DeployPermissions } from './DeployPermissions';
import { GuardHistoryFields } from './GuardHistoryFields';

type Props = DataSourcePluginOptionsEditorProps<FalcoOptions, FalcoSecureOptions>;

const ACCESS_OPTIONS: Array<{ label: string; value: KubeAccess; description: string }> = [
  { label: 'In cluster', value: 'inCluster', description: "Grafana runs in the cluster: its pod's service account" },
  { label: 'Kubeconfig', value: 'kubeconfig', description: 'A kubeconfig kept encrypted in this datasource' },
];

const CHART_OPTIONS: Array<{ label: string; value: ChartSource; description: string }> = [
  { label: 'Chart repository', value: 'repository', description: 'A Helm repository with an index.yaml' },
  { label: 'OCI registry', value: 'oci', description: 'An oci:// chart reference' },
  { label: 'None', value: 'none', description: 'No chart source: preview and deploy are refused' },
];

// DeploySettings holds how the datasource reaches the cluster and the Falco chart to deploy custom rules with Helm.
export function DeploySettings(props: Props) {
  const { options, onOptionsChange } = props;
  const jsonData = options.jsonData;
  const access = jsonData.kubeAccess ?? 'inCluster';
  const chartSource = jsonData.chartSource ?? 'repository';
  const kubeconfigConfigured = Boolean(options.secureJsonFields?.kubeconfig);
  const errors = validateDeployOptions(jsonData, {
    kubeconfigConfigured,
    kubeconfig: options.secureJsonData?.kubeconfig,
  });
  const set = (patch: Partial<FalcoOptions>) => onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });

  return (
    <FieldSet label="Deploying custom rules">
      <Text color="secondary" element="p">
        The Rules page deploys custom rules by upgrading the Falco Helm release with a new customRules value. Only an
        organization Admin can deploy; these credentials need Helm&apos;s permissions in the Falco namespace (its
        release Secrets and the chart&apos;s objects). A preview renders every object with these credentials, so only
        Admins may preview unless Editors are allowed below.
      </Text>
      <Field label="Kubernetes access">
        <RadioButtonGroup<KubeAccess>
          options={ACCESS_OPTIONS}
          value={access}
          onChange={(v) => set({ kubeAccess: v })}
        />
      </Field>
      {access === 'kubeconfig' && (
        <>
          <Field
            label="Kubeconfig"
            description="Stored encrypted and never shown again"
            invalid={!!errors.kubeconfig}
            error={errors.kubeconfig}
          >
            <SecretTextArea
              id="falco-kubeconfig"
              cols={80}
              rows={8}
              placeholder="apiVersion: v1&#10;kind: Config&#10;clusters: ..."
              isConfigured={kubeconfigConfigured}
              value={options.secureJsonData?.kubeconfig ?? ''}
              onChange={onUpdateDatasourceSecureJsonDataOption(props, 'kubeconfig')}
              onReset={() => updateDatasourcePluginResetOption(props, 'kubeconfig')}
            />
          </Field>
          <Field label="Context" description="A context of the kubeconfig; empty uses its current-context">
            <Input
              id="falco-kube-context"
              width={40}
              placeholder="current-context"
              value={jsonData.kubeContext ?? ''}
              onChange={onUpdateDatasourceJsonDataOption(props, 'kubeContext')}
            />
          </Field>
        </>
      )}
      <Field
        label="Falco namespace"
        description="Where the Falco releases are; empty looks in every namespace the credentials can list"
        invalid={!!errors.falcoNamespace}
        error={errors.falcoNamespace}
      >
        <Input
          id="falco-namespace"
          width={40}
          value={jsonData.falcoNamespace ?? DEFAULT_FALCO_NAMESPACE}
          onChange={(e) => set({ falcoNamespace: e.currentTarget.value })}
        />
      </Field>
      <Field
        label="Chart source"
        description="Where the full Falco chart, with its subcharts, comes from at the version the release runs: a release keeps its chart without the subcharts"
      >
        <RadioButtonGroup<ChartSource>
          options={CHART_OPTIONS}
          value={chartSource}
          onChange={(v) => set({ chartSource: v })}
        />
      </Field>
      {chartSource === 'repository' && (
        <>
          <Field
            label="Repository URL"
            description="Empty uses the falcosecurity repository"
            invalid={!!errors.chartRepositoryUrl}
            error={errors.chartRepositoryUrl}
          >
            <Input
              id="falco-chart-repository"
              width={60}
              placeholder={DEFAULT_CHART_REPOSITORY}
              value={jsonData.chartRepositoryUrl ?? DEFAULT_CHART_REPOSITORY}
              onChange={(e) => set({ chartRepositoryUrl: e.currentTarget.value })}
            />
          </Field>
          <Field label="Repository user" description="Only for a repository that needs basic auth">
            <Input
              id="falco-chart-user"
              width={40}
              value={jsonData.chartRepositoryUser ?? ''}
              onChange={onUpdateDatasourceJsonDataOption(props, 'chartRepositoryUser')}
            />
          </Field>
          <Field label="Repository password" description="Stored encrypted and never shown again">
            <SecretInput
              id="falco-chart-password"
              width={40}
              isConfigured={Boolean(options.secureJsonFields?.chartRepositoryPassword)}
              value={options.secureJsonData?.chartRepositoryPassword ?? ''}
              onChange={onUpdateDatasourceSecureJsonDataOption(props, 'chartRepositoryPassword')}
              onReset={() => updateDatasourcePluginResetOption(props, 'chartRepositoryPassword')}
            />
          </Field>
        </>
      )}
      {chartSource === 'oci' && (
        <Field label="OCI reference" invalid={!!errors.chartOciRef} error={errors.chartOciRef}>
          <Input
            id="falco-chart-oci"
            width={60}
            placeholder={DEFAULT_CHART_OCI_REF}
            value={jsonData.chartOciRef ?? ''}
            onChange={onUpdateDatasourceJsonDataOption(props, 'chartOciRef')}
          />
        </Field>
      )}
      <Field
        label="Rollout timeout (seconds)"
        description="How long the page follows the Falco DaemonSet's rollout after a deploy before it reports the pods that did not come up"
        invalid={!!errors.rolloutTimeoutSeconds}
        error={errors.rolloutTimeoutSeconds}
      >
        <Input
          id="falco-rollout-timeout"
          type="number"
          width={20}
          placeholder={String(DEFAULT_ROLLOUT_TIMEOUT_SECONDS)}
          value={jsonData.rolloutTimeoutSeconds ?? ''}
          onChange={(e) => {
            const raw = e.currentTarget.value;
            set({ rolloutTimeoutSeconds: raw === '' ? undefined : Number(raw) });
          }}
        />
      </Field>
      <Field
        label="Kubernetes request timeout (seconds)"
        description="How long each request to the API server may take before the answer names it (1 to 600)"
      >
        <Input
          id="falco-kube-timeout"
          type="number"
          width={20}
          placeholder="30"
          value={jsonData.kubeRequestTimeoutSeconds ?? ''}
          onChange={(e) => {
            const raw = e.currentTarget.value;
            set({ kubeRequestTimeoutSeconds: raw === '' ? undefined : Number(raw) });
          }}
        />
      </Field>
      <Field
        label="Chart download timeout (seconds)"
        description="How long each request to the chart repository or registry may take (1 to 600)"
      >
        <Input
          id="falco-chart-timeout"
          type="number"
          width={20}
          placeholder="60"
          value={jsonData.chartDownloadTimeoutSeconds ?? ''}
          onChange={(e) => {
            const raw = e.currentTarget.value;
            set({ chartDownloadTimeoutSeconds: raw === '' ? undefined : Number(raw) });
          }}
        />
      </Field>
      <Field label="Editors may preview deployments" description="Admins only when off; Editors never deploy">
        <Switch
          id="falco-editors-can-plan"
          value={jsonData.editorsCanPlan ?? false}
          onChange={(e) => set({ editorsCanPlan: e.currentTarget.checked })}
        />
      </Field>
      <Field
        label="Permissions"
        description="Asks the API server (SelfSubjectAccessReview) for everything a deploy needs, as saved: save first"
      >
        <DeployPermissions uid={options.uid} />
      </Field>
      <GuardHistoryFields jsonData={jsonData} set={set} />
    </FieldSet>
  );
}
