import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import { EXPORTERS } from '../queries';
import type { Exporter } from '../queries/types';

// Without a time range (the query library page), the last day counts: it covers scrape gaps and quiet nights.
const LOOKBACK_SECONDS = 24 * 3600;
// A dashboard's time range in Unix seconds: an exporter counts as present when it has series in that range, so
// investigating last week shows the panels whose exporters ran last week.
export interface ProbeRange {
  from: number;
  to: number;
}
// An answer is reused for a while, so a page of panels asks once; a missing exporter is asked again sooner, so the
// panels notice within a minute when someone installs it while the app is open.
const PRESENT_TTL_MS = 10 * 60 * 1000;
const MISSING_TTL_MS = 60 * 1000;
const cache = new Map<string, { answer: Promise<boolean | undefined>; expires: number }>();

interface SeriesResponse {
  status?: string;
  data?: unknown[];
}

// Whether the Prometheus datasource has any series of the exporter's probe metric: true/false, or undefined when
// Prometheus could not be asked (then the panel shows what it gets rather than a guess).
function hasSeries(datasourceUid: string, metric: string, range: ProbeRange): Promise<boolean | undefined> {
  return lastValueFrom(
    getBackendSrv().fetch<SeriesResponse>({
      url: `/api/datasources/uid/${encodeURIComponent(datasourceUid)}/resources/api/v1/series`,
      method: 'GET',
      params: { 'match[]': metric, limit: 1, start: range.from, end: range.to },
      showErrorAlert: false,
    })
  ).then(
    (res) => (res.data?.status === 'success' && Array.isArray(res.data.data) ? res.data.data.length > 0 : undefined),
    () => undefined
  );
}

// Whole minutes, widened outwards, so the panels of one page (and a refresh within the minute) share an answer.
// Without a range the window is "the last day" and cached as that (it moves with the clock).
function probeRange(range: ProbeRange | undefined): { window: ProbeRange; key: string } {
  if (!range) {
    const now = Math.floor(Date.now() / 1000);
    return { window: { from: now - LOOKBACK_SECONDS, to: now }, key: 'last day' };
  }
  const window = { from: Math.floor(range.from / 60) * 60, to: Math.ceil(range.to / 60) * 60 };
  return { window, key: `${window.from}-${window.to}` };
}

function lookUp(
  datasourceUid: string,
  metric: string,
  { window: range, key: rangeKey }: ReturnType<typeof probeRange>
): Promise<boolean | undefined> {
  const key = `${datasourceUid}\n${metric}\n${rangeKey}`;
  const cached = cache.get(key);
  if (cached && Date.now() < cached.expires) {
    return cached.answer;
  }
  for (const [k, v] of cache) {
    if (Date.now() >= v.expires) {
      cache.delete(k); // a moving "last hour" makes a new key each minute: drop the stale ones
    }
  }
  const entry = { answer: hasSeries(datasourceUid, metric, range), expires: Infinity };
  cache.set(key, entry); // concurrent panels share the request in flight
  entry.answer.then((present) => {
    entry.expires = Date.now() + (present === true ? PRESENT_TTL_MS : MISSING_TTL_MS);
  });
  return entry.answer;
}

// The exporters among `exporters` the datasource has no series of in the range (the last day without one); answers
// are shared per datasource and range for a while.
export async function missingExporters(
  datasourceUid: string,
  exporters: Exporter[],
  range?: ProbeRange
): Promise<Exporter[]> {
  const window = probeRange(range);
  const present = await Promise.all(
    exporters.map((exporter) => lookUp(datasourceUid, EXPORTERS[exporter].probeMetric, window))
  );
  return exporters.filter((_, i) => present[i] === false);
}

// The recording rules' series among `records` the datasource has none of in the range: a panel that reads them falls
// back to its raw form (the rules are not installed, or an older PrometheusRule lacks them).
export async function missingRecords(datasourceUid: string, records: string[], range?: ProbeRange): Promise<string[]> {
  const window = probeRange(range);
  const present = await Promise.all(records.map((record) => lookUp(datasourceUid, record, window)));
  return records.filter((_, i) => present[i] === false);
}

// Forget what the probes found, e.g. after the user enabled an exporter (and between tests).
export function forgetExporterPresence(): void {
  cache.clear();
}
