import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;
export const FALCO_DATASOURCE_TYPE = 'containersec-falco-datasource';
export const PROMETHEUS_DATASOURCE_TYPE = 'prometheus';

// The uids docker compose and the README's provisioning give the two datasources; used until the user picks others.
export const PROVISIONED_PROMETHEUS_UID = 'prometheus';
export const PROVISIONED_FALCO_UID = 'falco';

// The one route table: pages and links import these, nobody writes an app URL by hand.
export enum ROUTES {
  Overview = 'overview',
}

export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

export const CONFIG_PAGE_URL = `/plugins/${PLUGIN_ID}`;

// Settings the app's config page saves in the plugin's jsonData.
export interface AppSettings {
  prometheusDatasourceUid?: string;
  falcoDatasourceUid?: string;
}
