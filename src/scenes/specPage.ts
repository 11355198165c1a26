import {
  SceneAppDrilldownView,
  SceneAppPage,
  SceneAppPageLike,
  SceneFlexItem,
  SceneFlexLayout,
  SceneObject,
  SceneReactObject,
  SceneRouteMatch,
} from '@grafana/scenes';
import { RuleFacts } from '../components/RuleFacts/RuleFacts';
import { RuleTuning } from '../components/RuleTuning/RuleTuning';
import { TopSourcesScene } from '../components/Tuning/TopSourcesScene';
import { DRILLDOWN_ROUTES, drilldownUrl, prefixRoute } from '../constants';
import { deployAnnotationLayer } from './deployAnnotations';
import { DRILLDOWN_SPECS } from './drilldowns/specs';
import { drilldownEvents } from './events/drilldownEvents';
import type { PanelContext } from './queryParams';
import type { DrilldownKind, PageSpec } from './spec';
import { BodyLoader, PRESERVED_URL_KEYS, specScene } from './specScene';

// The panels of every page and drilldown load in one chunk, the first time one is shown.
const loadPanels: BodyLoader = () => import('./pageLayout').then((m) => m.buildPageLayout);

type Subject = PanelContext['subject'];

function context(page: string, spec: PageSpec, subject: Subject): PanelContext {
  return { page, variables: spec.variables.filter((v) => !(v in subject)), subject };
}

const DRILLDOWN_TITLE: Record<DrilldownKind, (s: Subject) => string> = {
  namespace: (s) => `Namespace ${s.namespace}`,
  pod: (s) => `Pod ${s.pod}`,
  rule: (s) => `Rule: ${s.rule}`,
};

function subjectOf(kind: DrilldownKind, params: Record<string, string>): Subject {
  if (kind === 'rule') {
    return { rule: params.rule };
  }
  return kind === 'pod' ? { namespace: params.namespace, pod: params.pod } : { namespace: params.namespace };
}

// A drilldown page renders its own <Routes>: react-router v6 wants a trailing * on the route that renders descendant
// routes (otherwise it warns and matches nothing deeper). The more specific pod route still ranks above namespace/*.
export const drilldownRoutePath = (kind: DrilldownKind) => `${DRILLDOWN_ROUTES[kind]}/*`;

// The drilldowns under a page: the page stays their breadcrumb parent, and a pod's parent is its namespace.
function drilldownViews(page: string, prometheusUid: string): SceneAppDrilldownView[] {
  const views: Record<DrilldownKind, SceneAppDrilldownView> = {} as Record<DrilldownKind, SceneAppDrilldownView>;
  const drilldownPage = (kind: DrilldownKind, match: SceneRouteMatch<any>, parent: SceneAppPageLike) => {
    const subject = subjectOf(kind, match.params);
    const spec = DRILLDOWN_SPECS[kind];
    return new SceneAppPage({
      title: DRILLDOWN_TITLE[kind](subject),
      subTitle: spec.description,
      url: drilldownUrl(page, kind, subject as Record<string, string>),
      routePath: drilldownRoutePath(kind),
      preserveUrlKeys: PRESERVED_URL_KEYS,
      getParentPage: () =>
        kind === 'pod'
          ? parent.getDrilldownPage(views.namespace, namespaceMatch(page, subject.namespace ?? ''))
          : parent,
      getScene: () =>
        specScene(
          spec,
          context(page, spec, subject),
          prometheusUid,
          loadPanels,
          drilldownHeader(kind, subject, page),
          spec.deployAnnotations ? deployAnnotationLayer(subject.rule) : undefined
        ),
    });
  };
  for (const kind of ['namespace', 'pod', 'rule'] as const) {
    views[kind] = {
      routePath: drilldownRoutePath(kind),
      getPage: (match, parent) => drilldownPage(kind, match, parent),
    };
  }
  return [views.pod, views.namespace, views.rule];
}

function namespaceMatch(page: string, namespace: string): SceneRouteMatch<{ namespace: string }> {
  return {
    url: drilldownUrl(page, 'namespace', { namespace }),
    path: DRILLDOWN_ROUTES.namespace,
    params: { namespace },
    isExact: true,
  };
}

// An app page built from its spec, with the pod, namespace and rule drilldowns under it.
export function specPage(spec: PageSpec, prometheusUid: string, header?: () => SceneObject): SceneAppPage {
  return new SceneAppPage({
    title: spec.title,
    subTitle: spec.description,
    url: prefixRoute(spec.id),
    routePath: `${spec.id}/*`,
    preserveUrlKeys: PRESERVED_URL_KEYS,
    getScene: () =>
      specScene(
        spec,
        context(spec.id, spec, {}),
        prometheusUid,
        loadPanels,
        header?.(),
        spec.deployAnnotations ? deployAnnotationLayer() : undefined
      ),
    drilldowns: drilldownViews(spec.id, prometheusUid),
  });
}

// The Events page hangs the same drilldowns under itself (src/pages/Events/eventsPage.ts).
export { drilldownViews };

// A drilldown opens with its subject's events; the rule drilldown first says what the rule is (priority, source, tags,
// MITRE), its rate around the last deploy that changed it and its exceptions, and where it fires most (its top
// sources, to tune it from) above its matches.
function drilldownHeader(kind: DrilldownKind, subject: Subject, page: string): SceneObject {
  const events = drilldownEvents(kind, subject, page);
  if (kind !== 'rule') {
    return events;
  }
  return new SceneFlexLayout({
    direction: 'column',
    children: [
      new SceneFlexItem({ body: new SceneReactObject({ component: RuleFacts, props: { rule: subject.rule ?? '' } }) }),
      new SceneFlexItem({ body: new SceneReactObject({ component: RuleTuning, props: { rule: subject.rule ?? '' } }) }),
      new SceneFlexItem({ body: new TopSourcesScene({ rule: subject.rule ?? '' }) }),
      new SceneFlexItem({ body: events }),
    ],
  });
}
