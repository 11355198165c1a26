import { OrgRole } from '@grafana/data';
import { config } from '@grafana/runtime';

export interface DeployPermission {
  allowed: boolean;
  // Why the Deploy and Roll back buttons are off, in words the user can act on.
  reason?: string;
}

// deployPermission mirrors the backend's check: apply and rollback need the organisation's Admin role, the role
// Grafana puts in the plugin's PluginContext.User. The backend refuses anyone else (403 forbidden_role) whatever the
// browser shows.
export function deployPermission(): DeployPermission {
  const role = config.bootData?.user?.orgRole;
  if (role === OrgRole.Admin) {
    return { allowed: true };
  }
  return {
    allowed: false,
    reason: `Deploying and rolling back change the cluster, so they need the Admin role in this organization; you are ${
      role || 'not signed in'
    }. History and export work for you (previews too where the datasource lets Editors preview): ask an Admin to deploy.`,
  };
}
