// Whether a failed call never reached the Falco datasource's backend: Grafana answers 502/503/504 ("plugin
// unavailable") when the plugin process is not running or crashed, and a request that reaches no server at all fails
// with a network error (a browser's "Failed to fetch", Node's "fetch failed") and no HTTP status.
const UNREACHABLE =
  /fetch failed|failed to fetch|networkerror|plugin unavailable|plugin not registered|bad gateway|service unavailable|gateway timeout|econnrefused|connection refused/i;

export function isUnreachable(message: string | undefined, status?: number): boolean {
  return (status !== undefined && [0, 502, 503, 504].includes(status)) || UNREACHABLE.test(message ?? '');
}
