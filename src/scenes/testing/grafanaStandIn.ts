import { of } from 'rxjs';
import { DataQueryRequest, LoadingState, PanelPlugin } from '@grafana/data';
import { setDataSourceSrv, setPluginImportUtils, setRunRequest } from '@grafana/runtime';
import { SceneObject } from '@grafana/scenes';

// Grafana's runtime for scene tests: one Prometheus datasource whose label values are given, and a runRequest that
// records every request the scenes issue instead of sending it.

export const PROMETHEUS = { uid: 'prom-prod', name: 'Prometheus prod', type: 'prometheus' };
export const FALCO = { uid: 'falco-prod', name: 'Falco prod', type: 'containersec-falco-datasource' };

export interface StandIn {
  requests: DataQueryRequest[];
  // The label values Prometheus returns for the cluster/namespace/pod pickers.
  labelValues: Record<string, string[]>;
}

export function standInGrafana(labelValues: Record<string, string[]> = {}): StandIn {
  const standIn: StandIn = { requests: [], labelValues };
  const prometheus = {
    ...PROMETHEUS,
    meta: { id: 'prometheus' },
    getRef: () => ({ uid: PROMETHEUS.uid, type: PROMETHEUS.type }),
    metricFindQuery: async (query: { label: string }) =>
      (standIn.labelValues[query.label] ?? []).map((text) => ({ text })),
  };
  const settings: Record<string, object> = {
    [PROMETHEUS.uid]: { ...PROMETHEUS, meta: { id: 'prometheus' } },
    [FALCO.uid]: { ...FALCO, meta: { id: FALCO.type } },
  };
  setDataSourceSrv({
    get: async () => prometheus,
    getInstanceSettings: (ref: string | { uid?: string }) => settings[typeof ref === 'string' ? ref : (ref?.uid ?? '')],
    getList: () => [settings[PROMETHEUS.uid]],
  } as any);
  setRunRequest((_ds, request) => {
    standIn.requests.push(request);
    return of({ state: LoadingState.Done, series: [], timeRange: request.range });
  });
  standInPanelPlugins();
  return standIn;
}

let panelPluginsSet = false;

// Panels load their visualization plugin; an empty one will do (Grafana allows setting this once per process).
function standInPanelPlugins() {
  if (panelPluginsSet) {
    return;
  }
  panelPluginsSet = true;
  setPluginImportUtils({
    importPanelPlugin: async (id: string) => {
      const plugin = new PanelPlugin(() => null);
      plugin.meta = { id, name: id, info: { version: '1.0.0' } } as PanelPlugin['meta'];
      // Grafana registers the standard field options (unit, links, ...) at start-up; keep every option as given.
      Object.defineProperty(plugin, 'fieldConfigRegistry', {
        value: { getIfExists: (id: string) => ({ id }), list: () => [] },
      });
      return plugin;
    },
    getPanelPluginFromCache: () => undefined,
  });
}

// Activates a scene object and everything under it, as rendering it in Grafana would.
export function activateTree(obj: SceneObject): void {
  if (!obj.isActive) {
    obj.activate();
  }
  obj.forEachChild((child) => activateTree(child));
}

// Lets variable lookups, datasource lookups and query runs that are under way finish.
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

// The PromQL of the last query each library entry issued (panels name their entry in the request id).
export function issuedQueries(standIn: StandIn): Record<string, string> {
  const byEntry: Record<string, string> = {};
  for (const request of standIn.requests) {
    const entry = request.requestId.split('#')[0];
    byEntry[entry] = (request.targets[0] as { expr?: string }).expr ?? '';
  }
  return byEntry;
}
