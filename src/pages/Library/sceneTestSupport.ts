import { of } from 'rxjs';
import { LoadingState, PanelPlugin, ScopedVars, toDataFrame } from '@grafana/data';
import { setDataSourceSrv, setPluginImportUtils, setRunRequest } from '@grafana/runtime';
import { SceneObject, sceneGraph } from '@grafana/scenes';

// Test support: Grafana's services as the library page's scene uses them, standing in for a running Grafana.

export const prometheusDatasources = [
  { uid: 'prom-prod', name: 'Prometheus prod', type: 'prometheus', meta: { id: 'prometheus' } },
  { uid: 'prom-lab', name: 'Prometheus lab', type: 'prometheus', meta: { id: 'prometheus' } },
];

export function standInForGrafana() {
  const byUid = (uid: string) => prometheusDatasources.find((d) => d.uid === uid || d.name === uid);
  setDataSourceSrv({
    getList: () => prometheusDatasources,
    getInstanceSettings: (ref: string | { uid: string }) => byUid(typeof ref === 'string' ? ref : ref?.uid),
    // Grafana's DataSourceSrv resolves a `${datasource}` ref through the asking scene object, as this does.
    get: async (ref: string | { uid: string }, scopedVars?: ScopedVars) => {
      const raw = typeof ref === 'string' ? ref : ref?.uid;
      const asker = scopedVars?.__sceneObject?.value.valueOf() as SceneObject | undefined;
      const settings = byUid(asker ? sceneGraph.interpolate(asker, raw) : raw);
      return { ...settings, getRef: () => ({ uid: settings?.uid, type: 'prometheus' }) };
    },
  } as any);
  const runRequest = jest.fn((_ds: unknown, request: any) =>
    of({ state: LoadingState.Done, series: [toDataFrame({ fields: [] })], timeRange: request.range })
  );
  setRunRequest(runRequest as any);
  return { runRequest };
}

// Grafana allows setting these once per process: a panel plugin that draws nothing.
const emptyPanel = new PanelPlugin(() => null).useFieldConfig();
emptyPanel.meta = { id: 'timeseries', info: { version: '13.1.1' } } as any;
setPluginImportUtils({ importPanelPlugin: async () => emptyPanel, getPanelPluginFromCache: () => emptyPanel });

// Activates a scene and everything under it, as rendering it in Grafana would.
export function activateTree(obj: SceneObject): void {
  if (!obj.isActive) {
    obj.activate();
  }
  obj.forEachChild((child) => activateTree(child));
}

export const flushPromises = () => new Promise((r) => setTimeout(r, 0));
