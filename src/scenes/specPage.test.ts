import {
  SceneAppPage,
  SceneAppPageLike,
  MultiValueVariable,
  SceneDataLayerControls,
  SceneObject,
  SceneVariableSet,
  sceneGraph,
} from '@grafana/scenes';
import { matchRoutes } from 'react-router-dom';
import { getQuery } from '../queries';
import type { QueryParams } from '../queries/types';
import { networkPage } from '../pages/Network/networkPage';
import { resourcesPage } from '../pages/Resources/resourcesPage';
import { runtimePage } from '../pages/Runtime/runtimePage';
import { LazySceneBody } from './LazySceneBody';
import { LibraryPanel } from './LibraryPanel';
import { SERIES_TOP_N, seriesTopN } from './fieldDisplay';
import type { PageSpec } from './spec';
import { forgetExporterPresence } from './exporterPresence';
import { activateTree, issuedQueries, PROMETHEUS, settle, standInGrafana, StandIn } from './testing/grafanaStandIn';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

const settings = { prometheusDatasourceUid: PROMETHEUS.uid, falcoDatasourceUid: 'falco-prod' };
let grafana: StandIn;

beforeEach(() => {
  grafana = standInGrafana({ cluster: [], namespace: ['shop', 'payments'], pod: ['web-1'] });
  forgetExporterPresence();
  fetch.mockReset();
  // Every exporter answers with a series, so every panel shows its query.
  fetch.mockImplementation(() => require('rxjs').of({ data: { status: 'success', data: [{}] } }));
});

// Opens a page's scene as Grafana would at `url`, waits for its panel chunk and lets the panels run their queries.
async function open(page: SceneAppPageLike, url = page.state.url, params: Record<string, string> = {}) {
  const scene = page.getScene({ url, path: page.state.routePath ?? '', params, isExact: true });
  activateTree(scene);
  const body = sceneGraph.findObject(scene, (o) => o instanceof LazySceneBody) as LazySceneBody;
  activateTree((await body.loaded())!);
  await settle();
  return scene;
}

function panels(scene: SceneObject): LibraryPanel[] {
  return sceneGraph.findAllObjects(scene, (o) => o instanceof LibraryPanel) as LibraryPanel[];
}

// What the library builds for every panel of a spec given these parameters (each entry takes the ones it accepts).
function expectedQueries(spec: PageSpec, params: QueryParams): Record<string, string> {
  const expected: Record<string, string> = {};
  for (const panel of spec.rows.flatMap((r) => r.panels)) {
    const entry = getQuery(panel.queryId);
    // Series panels of per-pod queries draw the top pods of the range (fieldDisplay.seriesTopN).
    const topN = seriesTopN(entry, panel);
    const accepted = Object.fromEntries(
      Object.entries({ ...params, ...(topN ? { topN } : {}), ...panel.params }).filter(([name]) =>
        entry.params.includes(name as keyof QueryParams)
      )
    );
    expected[panel.queryId] = entry.build(accepted);
  }
  return expected;
}

test('the Resources page issues every panel query with cluster, namespace and pod as Grafana variables', async () => {
  const page = resourcesPage(settings);
  const scene = await open(page);
  const spec = require('../pages/Resources/spec').resourcesSpec;
  const variables = { cluster: { variable: 'cluster' }, namespace: { variable: 'namespace' } } as const;
  // The pod picker starts at All (`.*`, every pod): no pod filter, so the per-pod panels rank from their top records.
  expect(issuedQueries(grafana)).toEqual(expectedQueries(spec, variables));
  expect(issuedQueries(grafana)['workload.cpu.by_pod']).toContain('namespace=~"$namespace"');
  expect(issuedQueries(grafana)['workload.cpu.by_pod']).not.toContain('pod=~');

  const pod = sceneGraph.lookupVariable('pod', panels(scene)[0]) as MultiValueVariable;
  pod.changeValueTo(['web-1']);
  await settle();
  const issued = issuedQueries(grafana);
  expect(issued).toEqual(expectedQueries(spec, { ...variables, pod: { variable: 'pod' } }));
  expect(issued['workload.cpu.by_pod']).toContain('pod=~"$pod"');
  expect(panels(scene)).toHaveLength(12);
  expect(
    grafana.requests.every(
      (r) => r.targets[0].datasource?.uid === PROMETHEUS.uid || r.targets[0].datasource?.uid === '${datasource}'
    )
  ).toBe(true);
});

test('a page without a cluster label hides the cluster picker; the others offer what Prometheus has', async () => {
  const scene = await open(networkPage(settings));
  const variables = sceneGraph.getVariables(scene) as SceneVariableSet;
  const cluster = variables.getByName('cluster')!;
  expect(cluster.state.hide).toBe(2);
  const namespace = variables.getByName('namespace') as any;
  expect(namespace.state.options.map((o: { value: string }) => o.value)).toEqual(['shop', 'payments']);
  expect(namespace.state.value).toBe('$__all');
  expect(namespace.state.query.query).toBe('label_values(kube_pod_info{cluster=~"$cluster"},namespace)');
});

test('changing the Falco metrics source or the minimum priority rebuilds the queries from the library', async () => {
  const scene = await open(runtimePage(settings));
  const before = issuedQueries(grafana);
  const cluster = { variable: 'cluster' };
  expect(before['falco.events.by_rule']).toBe(
    getQuery('falco.events.by_rule').build({ cluster, falcoSource: 'native', topN: SERIES_TOP_N })
  );

  const variables = sceneGraph.getVariables(scene) as SceneVariableSet;
  (variables.getByName('falcoSource') as any).changeValueTo('falcosidekick');
  (variables.getByName('minPriority') as any).changeValueTo('critical');
  await settle();

  const after = issuedQueries(grafana);
  const params = { cluster, falcoSource: 'falcosidekick', minPriority: 'critical', topN: SERIES_TOP_N } as const;
  expect(after['falco.events.by_rule']).toBe(getQuery('falco.events.by_rule').build(params));
  expect(after['falco.events.by_rule']).not.toBe(before['falco.events.by_rule']);
  expect(after['falco.events.by_rule']).toContain('containersec:falcosidekick_events:count1m');
  // The rule links follow the source's rule label.
  const byRule = panels(scene).find((p) => p.state.spec.queryId === 'falco.events.by_rule')!;
  expect(byRule.state.panel!.state.fieldConfig.defaults.links![0].url).toContain(
    '${__field.labels.rule:percentencode}'
  );
});

// The drilldown page Grafana would show at a URL under a page, found through the page's drilldown routes.
function drilldown(page: SceneAppPage, index: number, url: string, params: Record<string, string>) {
  const view = page.state.drilldowns![index];
  return page.getDrilldownPage(view, { url, path: view.routePath, params, isExact: true });
}

test('the pod drilldown puts its pod in every query as an escaped literal, under its namespace and page', async () => {
  const page = resourcesPage(settings);
  const pod = drilldown(page, 0, '/a/containersec-security-app/resources/namespace/sh%22op/pod/web-1', {
    namespace: 'sh"op',
    pod: 'web-1',
  });
  expect(pod.state.title).toBe('Pod web-1');
  expect(pod.state.url).toBe('/a/containersec-security-app/resources/namespace/sh%22op/pod/web-1');
  const namespacePage = pod.state.getParentPage!();
  expect(namespacePage.state.title).toBe('Namespace sh"op');
  expect(namespacePage.state.url).toBe('/a/containersec-security-app/resources/namespace/sh%22op');
  expect(namespacePage.state.getParentPage!()).toBe(page);

  const scene = await open(pod, pod.state.url, { namespace: 'sh"op', pod: 'web-1' });
  const issued = issuedQueries(grafana);
  expect(issued['workload.cpu.by_pod']).toBe(
    getQuery('workload.cpu.by_pod').build({
      cluster: { variable: 'cluster' },
      namespace: 'sh"op',
      pod: 'web-1',
      topN: SERIES_TOP_N,
    })
  );
  expect(issued['workload.cpu.by_pod']).toContain('namespace="sh\\"op"');
  expect(issued['falco.events.by_rule']).toContain('k8s_ns_name="sh\\"op"');
  // The subject is fixed by the path: no namespace or pod picker on the drilldown.
  const names = (sceneGraph.getVariables(scene) as SceneVariableSet).state.variables.map((v) => v.state.name);
  expect(names).toEqual(['datasource', 'cluster', 'falcoSource', 'minPriority']);
});

test('the rule drilldown shows where one rule fired, from falcosidekick', async () => {
  const page = runtimePage(settings);
  const rule = drilldown(page, 2, '/a/containersec-security-app/runtime/rule/Terminal%20shell%20in%20container', {
    rule: 'Terminal shell in container',
  });
  expect(rule.state.title).toBe('Rule: Terminal shell in container');
  expect(rule.state.getParentPage!()).toBe(page);
  const scene = await open(rule, rule.state.url, { rule: 'Terminal shell in container' });
  const issued = issuedQueries(grafana);
  expect(issued['falco.events.by_pod']).toBe(
    getQuery('falco.events.by_pod').build({
      cluster: { variable: 'cluster' },
      falcoSource: 'native',
      rule: 'Terminal shell in container',
      topN: SERIES_TOP_N, // dozens of pods: the series panel keeps the top of the range (falcoRuntime.ts topEvents)
    })
  );
  // Each pod's series (a time series: it fired earlier in the range too) links to that pod by its labels.
  const byPod = panels(scene).find((p) => p.state.spec.queryId === 'falco.events.by_pod')!;
  expect(byPod.state.panel!.state.pluginId).toBe('timeseries');
  expect(byPod.state.panel!.state.fieldConfig.defaults.links![0].url).toBe(
    '/a/containersec-security-app/runtime/namespace/${__field.labels.k8s_ns_name:percentencode}/pod/${__field.labels.k8s_pod_name:percentencode}' +
      '?${__url_time_range}&${datasource:queryparam}&${cluster:queryparam}&${falcoSource:queryparam}&${minPriority:queryparam}'
  );
});

// A drilldown page renders its own <Routes> (SceneAppPageRenderer): react-router v6 warns "the parent route path has no
// trailing *" and matches nothing deeper unless its route ends in /*. With it, URLs still pick the right drilldown.
test('drilldown routes end in /* and still pick the pod, namespace and rule drilldown by URL', () => {
  const page = resourcesPage(settings);
  const routes = page.state.drilldowns!.map((d) => ({ path: d.routePath }));
  expect(routes.map((r) => r.path)).toEqual([
    'namespace/:namespace/pod/:pod/*',
    'namespace/:namespace/*',
    'rule/:rule/*',
  ]);
  const picked = (url: string) => matchRoutes(routes, url)?.[0].route.path;
  expect(picked('/namespace/shop/pod/web-1')).toBe('namespace/:namespace/pod/:pod/*');
  expect(picked('/namespace/shop')).toBe('namespace/:namespace/*');
  expect(picked('/rule/Terminal%20shell')).toBe('rule/:rule/*');
  const pod = drilldown(page, 0, '/a/containersec-security-app/resources/namespace/shop/pod/web-1', {
    namespace: 'shop',
    pod: 'web-1',
  });
  expect(pod.state.routePath).toBe('namespace/:namespace/pod/:pod/*');
  expect(pod.state.url).toBe('/a/containersec-security-app/resources/namespace/shop/pod/web-1');
});

// The annotation layer's request: Grafana's standard annotation support sends the layer's target as query "Anno".
function annotationTargets(standIn: StandIn) {
  return standIn.requests.flatMap((r) => r.targets).filter((t) => t.refId === 'Anno');
}

test('the Runtime page and the rule drilldown carry the Falco rules deploys as annotations, behind a switch', async () => {
  const page = runtimePage(settings);
  const scene = await open(page);
  expect(annotationTargets(grafana)).toEqual([{ refId: 'Anno', queryType: 'deployAnnotations' }]);
  const layers = sceneGraph.getDataLayers(scene);
  expect(layers.map((l) => l.state.name)).toEqual(['Rules deploys']);
  expect(scene.state.controls!.some((c) => c instanceof SceneDataLayerControls)).toBe(true);
  // Every count panel's query runner is under the layer.
  for (const p of panels(scene)) {
    expect(sceneGraph.getDataLayers(p)).toHaveLength(1);
  }

  grafana.requests.length = 0;
  const rule = drilldown(page, 2, '/a/containersec-security-app/runtime/rule/Terminal%20shell%20in%20container', {
    rule: 'Terminal shell in container',
  });
  await open(rule, rule.state.url, { rule: 'Terminal shell in container' });
  expect(annotationTargets(grafana)).toEqual([
    { refId: 'Anno', queryType: 'deployAnnotations', rule: 'Terminal shell in container' },
  ]);

  // Switched off, the layer asks nothing more.
  grafana.requests.length = 0;
  layers[0].setState({ isEnabled: false });
  await settle();
  expect(annotationTargets(grafana)).toHaveLength(0);
  layers[0].setState({ isEnabled: true });
  await settle();
  expect(annotationTargets(grafana)).toHaveLength(1);
});
