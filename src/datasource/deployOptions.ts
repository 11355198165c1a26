// The Falco datasource's deploy settings (contract: /work/contracts/deploy-api.md, "Datasource settings");
// pkg/plugin parses the same jsonData and secureJsonData keys.

export type KubeAccess = 'inCluster' | 'kubeconfig';
export type ChartSource = 'repository' | 'oci' | 'none';

export interface DeployOptions {
  kubeAccess?: KubeAccess;
  // A context of the kubeconfig; empty uses its current-context.
  kubeContext?: string;
  // Where Falco releases are looked for; empty means every namespace the credentials can list.
  falcoNamespace?: string;
  chartSource?: ChartSource;
  chartRepositoryUrl?: string;
  chartRepositoryUser?: string;
  chartOciRef?: string;
  rolloutTimeoutSeconds?: number;
  // Lets Editors preview deployments (Admin only by default).
  editorsCanPlan?: boolean;
  // Bounds of each request to the API server and to the chart source (defaults 30 and 60 seconds).
  kubeRequestTimeoutSeconds?: number;
  chartDownloadTimeoutSeconds?: number;
  // After a deploy the backend rolls back a change whose new pods crash-loop or are not ready in time (default on).
  rolloutGuard?: boolean;
  // Revisions Helm keeps per release (helm --history-max); 0 keeps all.
  historyMax?: number;
}

// Never sent back to the browser once saved: only whether each is set (secureJsonFields).
export interface DeploySecureOptions {
  kubeconfig?: string;
  chartRepositoryPassword?: string;
}

export const DEFAULT_FALCO_NAMESPACE = 'falco';
export const DEFAULT_CHART_REPOSITORY = 'https://falcosecurity.github.io/charts';
export const DEFAULT_CHART_OCI_REF = 'oci://ghcr.io/falcosecurity/charts/falco';
export const DEFAULT_ROLLOUT_TIMEOUT_SECONDS = 300;
export const MIN_ROLLOUT_TIMEOUT_SECONDS = 10;
export const MAX_ROLLOUT_TIMEOUT_SECONDS = 3600;
export const DEFAULT_HISTORY_MAX = 10;
export const MAX_HISTORY_MAX = 1000;
