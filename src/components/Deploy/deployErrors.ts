import type { DeployError, DeploySettingsView } from '../../api/deploy';
import { isUnreachable } from '../../api/unreachable';
import { DEFAULT_CHART_OCI_REF, DEFAULT_CHART_REPOSITORY } from '../../datasource/deployOptions';

// What the page offers beside the message: each one a button or link in DeployErrorAlert.
export type ErrorAction = 'reload' | 'export' | 'datasourceSettings' | 'problems' | 'preview';

export interface ErrorView {
  title: string;
  // The backend's own words first (they name the verb, the resource, the revision), then what to do.
  message: string;
  hint?: string;
  actions: ErrorAction[];
  // 'info' for a state the page works in (no cluster: edit, validate, export); 'error' otherwise.
  severity?: 'error' | 'info';
}

function chartSourceHint(settings: DeploySettingsView | undefined): string {
  switch (settings?.chartSource) {
    case 'none':
      return `The datasource has no chart source. Set a chart repository (${DEFAULT_CHART_REPOSITORY}, or your mirror) or an OCI reference (${DEFAULT_CHART_OCI_REF}) in its deploy settings: Helm needs the full chart, with its subcharts, at the version the release runs.`;
    case 'oci':
      return `The datasource pulls the chart from ${settings.chartOciRef || 'an OCI reference that is not set'}. Check that Grafana's server reaches that registry and that it holds the release's chart version, or set a chart repository instead in the datasource's deploy settings.`;
    default:
      return `The datasource fetches the chart from the repository ${settings?.chartRepositoryUrl || DEFAULT_CHART_REPOSITORY}. Check that Grafana's server reaches it and that it holds the release's chart version, or point the datasource's deploy settings at a mirror or an OCI reference.`;
  }
}

// describeDeployError puts every failure code of the deploy contract into clear words with a way out.
export function describeDeployError(e: DeployError, settings?: DeploySettingsView): ErrorView {
  const message = e.message;
  switch (e.code) {
    case 'forbidden_role':
      return {
        title: 'Only an organization Admin can deploy rules',
        message,
        hint: 'Nothing was changed. History and export stay open to you; a preview renders objects with the cluster credentials, so it needs an Admin (or an Editor, where the datasource allows it): ask an Admin to deploy.',
        actions: ['export'],
      };
    case 'stale_revision':
      return {
        title: 'The release changed since your preview',
        message,
        hint: 'Nothing was deployed. Reload the release, look at the new preview, and deploy again if it is still what you want.',
        actions: ['reload'],
      };
    case 'release_pending':
      return {
        title: 'Another Helm operation holds the release',
        message,
        hint: 'Helm refuses to change a release in a pending state. Wait for the running install, upgrade or rollback to finish; if it was interrupted, an Admin recovers it under History (Preview the recovery), or with helm rollback; then reload.',
        actions: ['reload'],
      };
    case 'gitops_managed':
      return {
        title: 'This release is managed by GitOps',
        message,
        hint: 'A deploy from Grafana would be reverted by the GitOps controller. Export the working copy and commit it to the repository the controller watches.',
        actions: ['export'],
      };
    case 'confirm_required':
      return {
        title: 'The preview has warnings to confirm',
        message,
        hint: 'Tick every warning in the preview after reading it, then deploy again.',
        actions: ['preview'],
      };
    case 'invalid_rules':
      return {
        title: 'The rules have errors: nothing was deployed',
        message,
        hint: 'Falco would refuse to start with these files. Click a problem to go to its line.',
        actions: ['problems'],
      };
    case 'kube_forbidden':
      return {
        title: "The datasource's Kubernetes credentials lack a permission",
        message,
        hint: 'Grant that verb on that resource to the service account or kubeconfig user the datasource uses (a Role in the Falco namespace is enough), then try again.',
        actions: ['datasourceSettings'],
      };
    case 'cluster_unreachable':
      return {
        title: 'The cluster cannot be reached',
        message,
        hint: "Grafana's server could not talk to the Kubernetes API server. Check the datasource's Kubernetes access and the network between them. The export works without a cluster.",
        actions: ['datasourceSettings', 'export'],
      };
    case 'chart_unavailable':
      return {
        title: 'The Falco chart cannot be obtained',
        message,
        hint: chartSourceHint(settings),
        actions: ['datasourceSettings'],
      };
    case 'cluster_not_configured':
      if (settings?.deployProblems?.length) {
        return {
          title: "The Falco datasource's deploy settings need fixing",
          message,
          hint: `Fix in the datasource settings: ${settings.deployProblems.join('; ')}. The export works meanwhile.`,
          actions: ['datasourceSettings', 'export'],
        };
      }
      return {
        title: 'No cluster is configured for this Falco datasource',
        message,
        hint: 'Writing, validating and exporting rules work without one. Deploying needs Kubernetes access in the datasource settings (in-cluster or a kubeconfig).',
        actions: ['datasourceSettings', 'export'],
        severity: 'info',
      };
    case 'release_not_found':
      return {
        title: 'The Falco release is not there any more',
        message,
        hint: 'It may have been uninstalled or renamed. Reload the list of releases.',
        actions: ['reload'],
      };
    case 'server_rejected':
      return {
        title: "The cluster's API server refused the change in a dry run: nothing was deployed",
        message,
        hint: 'The chart renders an object this cluster does not accept (an admission policy, a missing API version or CRD). Fix that in the cluster or in the release values, then preview again.',
        actions: [],
      };
    case 'helm_failed':
      return {
        title: 'Helm failed',
        message,
        hint: "Helm's own words are above. If the history below now shows a failed revision, roll back to the last deployed one.",
        actions: ['reload'],
      };
    default:
      if (isUnreachable(message, e.status)) {
        return {
          title: "The Falco datasource's backend is not answering",
          message: e.status ? `${message} (HTTP ${e.status})` : message,
          hint: "Grafana could not reach the Falco datasource plugin, so nothing was read or changed. Check that Grafana is up and that its log shows the plugin running (a crashed plugin shows as 'plugin unavailable'), then reload.",
          actions: ['reload'],
        };
      }
      return {
        title: 'The Falco datasource refused the request',
        message: e.status ? `${message} (HTTP ${e.status})` : message,
        actions: [],
      };
  }
}
