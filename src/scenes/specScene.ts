import {
  EmbeddedScene,
  SceneControlsSpacer,
  SceneDataLayerControls,
  SceneDataLayerProvider,
  SceneObject,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  VariableValueSelectors,
} from '@grafana/scenes';
import { LazySceneBody } from './LazySceneBody';
import type { PanelContext } from './queryParams';
import type { PageSpec } from './spec';
import { buildPageVariables } from './variables';

// Builds a page's panels from its spec; lives in a lazily loaded chunk.
export type BodyLoader = () => Promise<(spec: PageSpec, context: PanelContext) => SceneObject>;

// URL keys that survive the way back from a drilldown to its page (the breadcrumb and the back button).
export const PRESERVED_URL_KEYS = [
  'from',
  'to',
  'timezone',
  'refresh',
  'var-datasource',
  'var-cluster',
  'var-namespace',
  'var-pod',
  'var-falcoSource',
  'var-minPriority',
];

// A page or drilldown scene: time range, URL-synced variables and controls now, the panels when their chunk loads.
export function specScene(
  spec: PageSpec,
  context: PanelContext,
  prometheusUid: string,
  loadBody: BodyLoader,
  header?: SceneObject,
  annotations?: SceneDataLayerProvider
): EmbeddedScene {
  const fixed = Object.keys(context.subject) as PageSpec['variables'];
  const body = new LazySceneBody(() => loadBody().then((build) => build(spec, context)), header);
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-6h', to: 'now' }),
    $variables: buildPageVariables(spec.variables, prometheusUid, fixed),
    // Every panel's query runner below picks up these layers (sceneGraph.getDataLayers walks up to the scene).
    ...(annotations ? { $data: annotations } : {}),
    controls: [
      new VariableValueSelectors({}),
      ...(annotations ? [new SceneDataLayerControls()] : []),
      new SceneControlsSpacer(),
      new SceneTimePicker({ isOnCanvas: true }),
      // withText names the button ("Refresh"): without it the icon-only button has no name (axe button-name).
      new SceneRefreshPicker({ isOnCanvas: true, withText: true, intervals: ['30s', '1m', '5m', '15m'] }),
    ],
    body,
  });
}
