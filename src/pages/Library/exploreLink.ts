import { isDateTime, locationUtil, RawTimeRange, urlUtil } from '@grafana/data';
import { PROMETHEUS_DATASOURCE_TYPE } from '../../constants';

// Relative times stay relative ('now-6h'); absolute ones go as epoch milliseconds, as Explore writes them.
function urlTime(t: RawTimeRange['from']): string {
  return isDateTime(t) ? String(t.valueOf()) : t;
}

// Grafana 12/13 Explore URL: schemaVersion 1 with one pane holding the datasource, the query and the time range.
export function exploreUrl(datasourceUid: string, expr: string, range: RawTimeRange, legendFormat?: string): string {
  const datasource = { type: PROMETHEUS_DATASOURCE_TYPE, uid: datasourceUid };
  const pane = {
    datasource: datasourceUid,
    queries: [{ refId: 'A', datasource, expr, range: true, ...(legendFormat ? { legendFormat } : {}) }],
    range: { from: urlTime(range.from), to: urlTime(range.to) },
  };
  const url = urlUtil.renderUrl('/explore', { schemaVersion: 1, panes: JSON.stringify({ library: pane }) });
  return locationUtil.assureBaseUrl(url);
}
