import { getBackendSrv } from '@grafana/runtime';
import type { Exporter, ExporterInfo } from '../../queries/types';

// 'unknown' when the lookup itself failed: the page must not claim an exporter is missing because a request broke.
export type Presence = 'present' | 'missing' | 'unknown';

interface SeriesResponse {
  status?: string;
  data?: unknown[];
}

// One cheap series lookup of the exporter's probe metric through the Prometheus datasource's resource API.
async function lookUpProbe(
  datasourceUid: string,
  probeMetric: string,
  startSec: number,
  endSec: number
): Promise<Presence> {
  try {
    const response = await getBackendSrv().get<SeriesResponse>(
      `/api/datasources/uid/${encodeURIComponent(datasourceUid)}/resources/api/v1/series`,
      { 'match[]': probeMetric, limit: 1, start: startSec, end: endSec },
      undefined,
      { showErrorAlert: false }
    );
    return Array.isArray(response?.data) && response.data.length > 0 ? 'present' : 'missing';
  } catch {
    return 'unknown';
  }
}

// Remembers each exporter's presence per datasource for the life of the page, so browsing entries costs no requests.
export class ExporterPresenceCache {
  private readonly lookups = new Map<string, Promise<Presence>>();

  check(
    datasourceUid: string,
    exporter: Exporter,
    info: ExporterInfo,
    startSec: number,
    endSec: number
  ): Promise<Presence> {
    const key = `${datasourceUid}\u0000${exporter}`;
    let lookup = this.lookups.get(key);
    if (!lookup) {
      lookup = lookUpProbe(datasourceUid, info.probeMetric, startSec, endSec);
      this.lookups.set(key, lookup);
      // A failed lookup is asked again next time rather than remembered.
      lookup.then((presence) => presence === 'unknown' && this.lookups.delete(key));
    }
    return lookup;
  }
}
