// What the user reads when the Falco datasource's backend cannot answer: what happened and what to do, not the
// transport's words ("fetch failed", "plugin unavailable", "Bad Gateway").
export interface EventsProblem {
  title: string;
  detail: string;
  hint: string;
}

// Grafana answers 502/503 "plugin unavailable" when the plugin process is not running or crashed; a proxy in front
// of Grafana, or Grafana itself, down gives a network error (a browser's "Failed to fetch", Node's "fetch failed").
const UNREACHABLE =
  /fetch failed|failed to fetch|networkerror|plugin unavailable|plugin not registered|bad gateway|service unavailable|econnrefused|connection refused|\b50[234]\b/i;

export function describeEventsError(message: string | undefined): EventsProblem {
  const detail = message?.trim() || 'no answer';
  if (UNREACHABLE.test(detail)) {
    return {
      title: "The Falco datasource's backend is not answering",
      detail,
      hint:
        'Grafana could not reach the Falco datasource plugin, so no events could be read; nothing was changed. ' +
        "Check that Grafana is up and that its log shows the plugin running (a crashed plugin shows as 'plugin unavailable'), then retry.",
    };
  }
  return {
    title: 'The Falco datasource could not read the events',
    detail,
    hint: 'Its own words are above. Check the filters and time range, or the Falco datasource settings, then retry.',
  };
}
