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
  Events = 'events',
  Runtime = 'runtime',
  Resources = 'resources',
  Network = 'network',
  Posture = 'posture',
  Rules = 'rules',
  Library = 'library',
}

// Drilldowns hang under every page (the page stays the breadcrumb's parent); a pod sits under its namespace.
export const DRILLDOWN_ROUTES = {
  namespace: 'namespace/:namespace',
  pod: 'namespace/:namespace/pod/:pod',
  rule: 'rule/:rule',
} as const;
export type DrilldownRoute = keyof typeof DRILLDOWN_ROUTES;

// The URL of a drilldown under a page; `encode` is identity when the values are data-link placeholders.
export function drilldownUrl(
  page: string,
  kind: DrilldownRoute,
  values: Record<string, string>,
  encode: (v: string) => string = encodeURIComponent
): string {
  const path = DRILLDOWN_ROUTES[kind].replace(/:(\w+)/g, (_, name: string) => encode(values[name] ?? ''));
  return prefixRoute(`${page}/${path}`);
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
