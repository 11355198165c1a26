import { httpUrlProblem } from './validation';
import { DeployOptions, MAX_ROLLOUT_TIMEOUT_SECONDS, MIN_ROLLOUT_TIMEOUT_SECONDS } from '../deployOptions';

export type DeployField =
  'kubeconfig' | 'falcoNamespace' | 'chartRepositoryUrl' | 'chartOciRef' | 'rolloutTimeoutSeconds';

interface SecretState {
  // Whether a kubeconfig is saved (secureJsonFields) and what is being typed now (secureJsonData).
  kubeconfigConfigured: boolean;
  kubeconfig?: string;
}

// A Kubernetes namespace name is a DNS-1123 label (k8s.io/apimachinery validation.IsDNS1123Label).
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

// validateDeployOptions mirrors what the backend refuses, so the admin sees it before "Save & test".
export function validateDeployOptions(o: DeployOptions, secret: SecretState): Partial<Record<DeployField, string>> {
  const errors: Partial<Record<DeployField, string>> = {};
  if (o.kubeAccess === 'kubeconfig') {
    const typed = secret.kubeconfig?.trim();
    if (!typed && !secret.kubeconfigConfigured) {
      errors.kubeconfig = 'Paste the kubeconfig the datasource uses to reach the cluster';
    } else if (typed && !/\bclusters\b/.test(typed)) {
      errors.kubeconfig = 'This is not a kubeconfig: it has no clusters';
    }
  }
  const ns = o.falcoNamespace;
  if (ns && (ns.length > 63 || !DNS1123_LABEL.test(ns))) {
    errors.falcoNamespace =
      "A namespace has at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit";
  }
  if ((o.chartSource ?? 'repository') === 'repository' && o.chartRepositoryUrl !== undefined) {
    errors.chartRepositoryUrl = repositoryUrlProblem(o.chartRepositoryUrl);
  }
  if (o.chartSource === 'oci') {
    errors.chartOciRef = ociRefProblem(o.chartOciRef);
  }
  const t = o.rolloutTimeoutSeconds;
  if (t !== undefined && (!Number.isInteger(t) || t < MIN_ROLLOUT_TIMEOUT_SECONDS || t > MAX_ROLLOUT_TIMEOUT_SECONDS)) {
    errors.rolloutTimeoutSeconds = `Between ${MIN_ROLLOUT_TIMEOUT_SECONDS} and ${MAX_ROLLOUT_TIMEOUT_SECONDS} seconds`;
  }
  for (const k of Object.keys(errors) as DeployField[]) {
    if (!errors[k]) {
      delete errors[k];
    }
  }
  return errors;
}

function repositoryUrlProblem(raw: string): string | undefined {
  if (raw.trim() === '') {
    // The backend falls back to the falcosecurity repository.
    return undefined;
  }
  return httpUrlProblem(
    raw,
    'A Helm repository URL starts with http:// or https:// (for oci:// choose OCI registry)',
    'Do not put credentials in the URL: use the user and password fields'
  );
}

function ociRefProblem(raw: string | undefined): string | undefined {
  if (!raw) {
    return 'An OCI chart needs a reference, for example oci://ghcr.io/falcosecurity/charts/falco';
  }
  if (!raw.startsWith('oci://')) {
    return 'An OCI reference starts with oci://';
  }
  const rest = raw.slice('oci://'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) {
    return 'Give the registry and the chart path, for example oci://ghcr.io/falcosecurity/charts/falco';
  }
  if (rest.slice(0, slash).includes('@')) {
    return 'Do not put credentials in the reference';
  }
  // The backend pulls <ref>:<the release's chart version> (pkg/deploy loadFromOCI): a tag here would be doubled.
  if (/[:@]/.test(rest.slice(rest.lastIndexOf('/') + 1))) {
    return 'Leave out the tag or digest: the datasource pulls the chart version the release runs';
  }
  return undefined;
}
