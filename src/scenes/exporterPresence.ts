import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import { EXPORTERS } from '../queries';
import type { Exporter } from '../queries/types';

// How far back a series counts as "the exporter is installed": a day covers scrape gaps and quiet nights.
const LOOKBACK_SECONDS = 24 * 3600;
const cache = new Map<string, Promise<boolean | undefined>>();

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

// The exporters among `exporters` the datasource has no series of; each probe is asked once per datasource.
export async function missingExporters(datasourceUid: string, exporters: Exporter[]): Promise<Exporter[]> {
  const present = await Promise.all(
    exporters.map((exporter) => {
      const key = `${datasourceUid}\n${exporter}`;
      if (!cache.has(key)) {
        cache.set(key, hasSeries(datasourceUid, EXPORTERS[exporter].probeMetric));
      }
      return cache.get(key)!;
    })
  );
  return exporters.filter((_, i) => present[i] === false);
}

// Forget what the probes found, e.g. after the user enabled an exporter (and between tests).
export function forgetExporterPresence(): void {
  cache.clear();
}
