import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import { EXPORTERS } from '../queries';
import type { Exporter } from '../queries/types';

// How far back a series counts as "the exporter is installed": a day covers scrape gaps and quiet nights.
const LOOKBACK_SECONDS = 24 * 3600;
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
function hasSeries(datasourceUid: string, metric: string): Promise<boolean | undefined> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  return lastValueFrom(
    getBackendSrv().fetch<SeriesResponse>({
      url: `/api/datasources/uid/${encodeURIComponent(datasourceUid)}/resources/api/v1/series`,
      method: 'GET',
      params: { 'match[]': metric, limit: 1, start: nowSeconds - LOOKBACK_SECONDS, end: nowSeconds },
      showErrorAlert: false,
    })
  ).then(
    (res) => (res.data?.status === 'success' && Array.isArray(res.data.data) ? res.data.data.length > 0 : undefined),
    () => undefined
  );
}

function lookUp(datasourceUid: string, exporter: Exporter): Promise<boolean | undefined> {
  const key = `${datasourceUid}\n${exporter}`;
  const cached = cache.get(key);
  if (cached && Date.now() < cached.expires) {
    return cached.answer;
  }
  const entry = { answer: hasSeries(datasourceUid, EXPORTERS[exporter].probeMetric), expires: Infinity };
  cache.set(key, entry); // concurrent panels share the request in flight
  entry.answer.then((present) => {
    entry.expires = Date.now() + (present === true ? PRESENT_TTL_MS : MISSING_TTL_MS);
  });
  return entry.answer;
}

// The exporters among `exporters` the datasource has no series of; answers are shared per datasource for a while.
export async function missingExporters(datasourceUid: string, exporters: Exporter[]): Promise<Exporter[]> {
  const present = await Promise.all(exporters.map((exporter) => lookUp(datasourceUid, exporter)));
  return exporters.filter((_, i) => present[i] === false);
}

// Forget what the probes found, e.g. after the user enabled an exporter (and between tests).
export function forgetExporterPresence(): void {
  cache.clear();
}
