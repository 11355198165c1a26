// The uids the preview gives its datasources (the app's defaults, as docker compose provisions them).
export const PROMETHEUS_UID = 'prometheus';
export const FALCO_UID = 'falco';

// Where Grafana serves a datasource's resource calls; the preview's server forwards Prometheus's to the scenario.
export function prometheusApi(path: string): string {
  return `/api/datasources/uid/${PROMETHEUS_UID}/resources/api/v1/${path}`;
}
