import { isUnreachable } from '../../api/unreachable';

// What the user reads when the Falco datasource's backend cannot answer: what happened and what to do, not the
// transport's words ("fetch failed", "plugin unavailable", "Bad Gateway").
export interface EventsProblem {
  title: string;
  detail: string;
  hint: string;
}

export function describeEventsError(message: string | undefined): EventsProblem {
  const detail = message?.trim() || 'no answer';
  if (isUnreachable(detail)) {
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
