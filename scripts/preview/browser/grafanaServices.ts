import { lastValueFrom, from, Observable } from 'rxjs';
import { EventBusSrv, type DataQueryRequest, type ScopedVars } from '@grafana/data';
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
import { labelValues, runPrometheusRequest } from './prometheus';
import { FALCO_UID, PROMETHEUS_UID } from './proxyPaths';

// Grafana's runtime services, stood in the way the jest tests do it, but answering from real HTTP endpoints.

const PROMETHEUS = {
  uid: PROMETHEUS_UID,
  name: 'Prometheus (scenario)',
  type: 'prometheus',
  meta: { id: 'prometheus', name: 'Prometheus', info: { logos: {} } },
  jsonData: { timeInterval: '30s' },
};
const FALCO = {
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

// Grafana's templateSrv hands scene queries to the scene that issued them.
function replace(target: string | undefined, scopedVars?: ScopedVars, format?: any): string {
  // Scenes wrap the issuing object so it survives serialisation; valueOf() unwraps it.
  const scene = scopedVars?.__sceneObject?.value?.valueOf() as SceneObject | undefined;
  return scene ? sceneGraph.interpolate(scene, target, scopedVars, format) : (target ?? '');
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
  const data = text ? JSON.parse(text) : undefined;
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
  setRunRequest((_ds, request) => runPrometheusRequest(request));
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
