import { lastValueFrom, from, map, Observable } from 'rxjs';
import {
  EventBusSrv,
  LoadingState,
  type DataQueryRequest,
  type DataQueryResponse,
  type PanelData,
  type ScopedVars,
} from '@grafana/data';
import {
  BackendSrvRequest,
  FetchResponse,
  setAppEvents,
  setBackendSrv,
  setDataSourceSrv,
  setRunRequest,
  setTemplateSrv,
} from '@grafana/runtime';
import { sceneGraph, SceneObject } from '@grafana/scenes';
import { DataSource as FalcoDataSource } from '../../../src/datasource/datasource';
import { labelValues, runPrometheusRequest } from './prometheus';
import { FALCO_UID, PROMETHEUS_UID } from './proxyPaths';

// Grafana's runtime services, stood in the way the jest tests do it, but answering from real HTTP endpoints.

const PROMETHEUS = {
  uid: PROMETHEUS_UID,
  name: 'Prometheus (scenario)',
  type: 'prometheus',
  meta: { id: 'prometheus', name: 'Prometheus', info: { logos: {} } },
  jsonData: { timeInterval: '30s' },
  id: 1,
};
const FALCO = {
  id: 2,
  uid: FALCO_UID,
  name: 'Falco',
  type: 'containersec-falco-datasource',
  meta: { id: 'containersec-falco-datasource', name: 'Falco', info: { logos: {} } },
  jsonData: {},
};
const SETTINGS: Record<string, typeof PROMETHEUS | typeof FALCO> = { [PROMETHEUS_UID]: PROMETHEUS, [FALCO_UID]: FALCO };

// Grafana's datasource service resolves a ref such as ${datasource} through the template service first.
function settingsOf(ref: unknown, scopedVars?: ScopedVars) {
  const raw = typeof ref === 'string' ? ref : ((ref as { uid?: string } | null)?.uid ?? PROMETHEUS_UID);
  const key = replace(raw, scopedVars);
  return SETTINGS[key] ?? Object.values(SETTINGS).find((s) => s.name === key);
}

const prometheusDatasource = {
  ...PROMETHEUS,
  getRef: () => ({ uid: PROMETHEUS.uid, type: PROMETHEUS.type }),
  metricFindQuery: (query: any, options: any) => labelValues(query, options ?? {}),
  query: (request: DataQueryRequest) => runPrometheusRequest(request),
};

// The app's real Falco datasource class: its queries go to /api/ds/query, which the server hands to the backend.
let falcoDatasource: FalcoDataSource | undefined;
function falco(): FalcoDataSource {
  falcoDatasource ??= new FalcoDataSource(FALCO as any);
  return falcoDatasource;
}

// Grafana's templateSrv hands scene queries to the scene that issued them.
function replace(target: string | undefined, scopedVars?: ScopedVars, format?: any): string {
  // Scenes wrap the issuing object so it survives serialisation; valueOf() unwraps it.
  const scene = scopedVars?.__sceneObject?.value?.valueOf() as SceneObject | undefined;
  return scene ? sceneGraph.interpolate(scene, target, scopedVars, format) : (target ?? '');
}

// What Grafana's runRequest makes of a datasource's answer: frames and errors as PanelData.
function falcoRunRequest(ds: FalcoDataSource, request: DataQueryRequest): Observable<PanelData> {
  return from(lastValueFrom(ds.query(request as any) as Observable<DataQueryResponse>)).pipe(
    map((res): PanelData => ({
      state: res.errors?.length || res.error ? LoadingState.Error : LoadingState.Done,
      series: res.data ?? [],
      errors: res.errors ?? (res.error ? [res.error] : undefined),
      error: res.error ?? res.errors?.[0],
      timeRange: request.range,
      request,
    }))
  );
}

async function send(options: BackendSrvRequest): Promise<FetchResponse> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(options.params ?? {})) {
    params.append(k, String(v));
  }
  const url = params.size ? `${options.url}?${params}` : options.url;
  const res = await fetch(url, {
    method: options.method ?? 'GET',
    headers: options.data ? { 'content-type': 'application/json' } : undefined,
    body: options.data ? JSON.stringify(options.data) : undefined,
  });
  const text = await res.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = text; // Grafana's backendSrv hands over a body that is not JSON as text
  }
  const response = { data, status: res.status, statusText: res.statusText, ok: res.ok, headers: res.headers } as any;
  if (!res.ok) {
    throw { ...response, config: options };
  }
  return response;
}

export function standInGrafanaServices(): void {
  setAppEvents(new EventBusSrv()); // panels listen on it for the shared crosshair
  setDataSourceSrv({
    get: async (ref: unknown, scopedVars?: ScopedVars) => {
      const s = settingsOf(ref, scopedVars);
      if (s?.uid === FALCO_UID) {
        return falco();
      }
      if (s?.uid !== PROMETHEUS_UID) {
        throw new Error(`Datasource ${JSON.stringify(ref)} is not available in the preview`);
      }
      return prometheusDatasource;
    },
    getInstanceSettings: (ref: unknown, scopedVars?: ScopedVars) => settingsOf(ref, scopedVars),
    getList: (filters?: { pluginId?: string; type?: string }) =>
      Object.values(SETTINGS).filter((s) => !filters?.pluginId || s.type === filters.pluginId),
    reload: async () => {},
    registerRuntimeDataSource: () => {},
  } as any);
  setTemplateSrv({
    replace,
    getVariables: () => [],
    containsTemplate: (t?: string) => Boolean(t && t.includes('$')),
    updateTimeRange: () => {},
  } as any);
  // Grafana's runRequest: the Falco datasource answers through its own query(), the rest through Prometheus.
  setRunRequest((ds, request) =>
    ds instanceof FalcoDataSource ? falcoRunRequest(ds, request) : runPrometheusRequest(request)
  );
  const fetchObservable = (options: BackendSrvRequest): Observable<FetchResponse> => from(send(options));
  setBackendSrv({
    fetch: fetchObservable,
    datasourceRequest: send,
    request: (o: BackendSrvRequest) => send(o).then((r) => r.data),
    get: (url: string, params?: object) => lastValueFrom(fetchObservable({ url, params })).then((r) => r.data),
    post: (url: string, data?: object) =>
      lastValueFrom(fetchObservable({ url, data, method: 'POST' })).then((r) => r.data),
  } as any);
}
