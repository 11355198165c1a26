import { from, Observable } from 'rxjs';
import {
  DataFrame,
  DataQueryRequest,
  FieldType,
  LoadingState,
  MetricFindValue,
  PanelData,
  rangeUtil,
  ScopedVars,
  TimeRange,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { prometheusApi } from './proxyPaths';

// A stand-in for Grafana's Prometheus datasource: the same interpolation, legend and frame shapes, answered by the
// scenario's real Prometheus over HTTP.

// kube-prometheus-stack scrapes every 30 s; Grafana's $__rate_interval is max($__interval + scrape, 4 * scrape).
const SCRAPE_SECONDS = 30;

interface PromTarget {
  refId: string;
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  format?: 'table' | 'time_series';
}

interface PromSeries {
  metric: Record<string, string>;
  values?: Array<[number, string]>;
  value?: [number, string];
}

// Grafana's Prometheus escaping of variable values: regex-special characters for multi/all variables, quotes always.
export function formatPrometheusVariable(value: unknown, variable?: { multi?: boolean; includeAll?: boolean }) {
  const regexEscape = (v: string) => v.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}\[\]\'+?.()|]/g, '\\\\$&');
  const plainEscape = (v: string) => v.replace(/\\/g, '\\\\').replace(/'/g, "\\\\'");
  if (!variable?.multi && !variable?.includeAll) {
    return typeof value === 'string' ? plainEscape(value) : String(value);
  }
  if (typeof value === 'string') {
    return regexEscape(value);
  }
  const values = (value as string[]).map(regexEscape);
  return values.length === 1 ? values[0] : `(${values.join('|')})`;
}

function interpolate(expr: string, scopedVars: ScopedVars, request: { intervalMs: number; range: TimeRange }) {
  const intervalSeconds = Math.max(request.intervalMs / 1000, SCRAPE_SECONDS / 2);
  const rateInterval = Math.max(intervalSeconds + SCRAPE_SECONDS, 4 * SCRAPE_SECONDS);
  const rangeSeconds = Math.round((request.range.to.valueOf() - request.range.from.valueOf()) / 1000);
  const withMacros = expr
    .replace(/\$__rate_interval/g, `${rateInterval}s`)
    .replace(/\$__range/g, `${rangeSeconds}s`)
    .replace(/\$__interval/g, `${intervalSeconds}s`);
  return getTemplateSrv().replace(withMacros, scopedVars, formatPrometheusVariable);
}

// Grafana's legend: {{label}} becomes the series' value of that label, and nothing when the series has no such label.
export function renderLegend(legend: string | undefined, labels: Record<string, string>): string | undefined {
  if (!legend || legend === '__auto') {
    return undefined;
  }
  return legend.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}

async function callPrometheus(path: string, params: Record<string, string>): Promise<any> {
  const res = await fetch(prometheusApi(path), { method: 'POST', body: new URLSearchParams(params) });
  const body = await res.json();
  if (body.status !== 'success') {
    throw new Error(`${res.status} ${body.error ?? 'Prometheus error'}`);
  }
  return body.data;
}

function seriesFrame(target: PromTarget, s: PromSeries): DataFrame {
  const { __name__, ...labels } = s.metric;
  const points = s.values ?? (s.value ? [s.value] : []);
  return {
    refId: target.refId,
    name: __name__,
    length: points.length,
    fields: [
      { name: 'Time', type: FieldType.time, config: {}, values: points.map((p) => p[0] * 1000) },
      {
        name: 'Value',
        type: FieldType.number,
        labels: __name__ ? { __name__, ...labels } : labels,
        config: { displayNameFromDS: renderLegend(target.legendFormat, s.metric) },
        values: points.map((p) => Number(p[1])),
      },
    ],
  };
}

// An instant query in table format: one row per series, one column per label, the sample in "Value".
function tableFrame(target: PromTarget, result: PromSeries[]): DataFrame {
  const labelNames = [...new Set(result.flatMap((s) => Object.keys(s.metric)))].sort();
  return {
    refId: target.refId,
    length: result.length,
    fields: [
      { name: 'Time', type: FieldType.time, config: {}, values: result.map((s) => (s.value?.[0] ?? 0) * 1000) },
      ...labelNames.map((name) => ({
        name,
        type: FieldType.string,
        config: {},
        values: result.map((s) => s.metric[name] ?? ''),
      })),
      { name: 'Value', type: FieldType.number, config: {}, values: result.map((s) => Number(s.value?.[1])) },
    ],
  };
}

async function runTarget(target: PromTarget, request: DataQueryRequest): Promise<DataFrame[]> {
  const query = interpolate(target.expr, request.scopedVars, request);
  const end = request.range.to.unix();
  if (target.instant) {
    const data = await callPrometheus('query', { query, time: String(end) });
    const result = data.result as PromSeries[];
    return target.format === 'table' ? [tableFrame(target, result)] : result.map((s) => seriesFrame(target, s));
  }
  const step = Math.max(Math.ceil(request.intervalMs / 1000), SCRAPE_SECONDS / 2);
  const data = await callPrometheus('query_range', {
    query,
    start: String(request.range.from.unix()),
    end: String(end),
    step: String(step),
  });
  return (data.result as PromSeries[]).map((s) => seriesFrame(target, s));
}

// What Grafana's runRequest returns for the request: every target's frames, or the error Prometheus gave.
export function runPrometheusRequest(request: DataQueryRequest): Observable<PanelData> {
  const targets = request.targets as unknown as PromTarget[];
  return from(
    Promise.all(targets.map((t) => runTarget(t, request))).then(
      (frames): PanelData => ({ state: LoadingState.Done, series: frames.flat(), timeRange: request.range }),
      (e: Error): PanelData => ({
        state: LoadingState.Error,
        series: [],
        errors: [{ message: e.message }],
        error: { message: e.message },
        timeRange: request.range,
      })
    )
  );
}

interface LabelValuesQuery {
  label: string;
  metric?: string;
  labelFilters?: Array<{ label: string; op: string; value: string }>;
}

// The variable pickers' label_values(metric{filters}, label) over the picker's time range.
export async function labelValues(
  query: LabelValuesQuery,
  options: { scopedVars?: ScopedVars; range?: TimeRange }
): Promise<MetricFindValue[]> {
  const filters = (query.labelFilters ?? [])
    .map((f) => `${f.label}${f.op}"${getTemplateSrv().replace(f.value, options.scopedVars, formatPrometheusVariable)}"`)
    .join(',');
  const range = options.range ?? rangeUtil.convertRawToRange({ from: 'now-6h', to: 'now' });
  const params = new URLSearchParams({ start: String(range.from.unix()), end: String(range.to.unix()) });
  params.append('match[]', `${query.metric ?? ''}{${filters}}`);
  const res = await fetch(`${prometheusApi(`label/${encodeURIComponent(query.label)}/values`)}?${params}`);
  const body = await res.json();
  return ((body.data ?? []) as string[]).map((text) => ({ text, value: text }));
}
