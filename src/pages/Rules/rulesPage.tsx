import React, { lazy, Suspense } from 'react';
import { EmbeddedScene, SceneAppPage, SceneReactObject } from '@grafana/scenes';
import { LoadingPlaceholder } from '@grafana/ui';
import { prefixRoute, ROUTES } from '../../constants';

// The editor (Monaco, the catalog, the rules table) loads in its own chunk the first time the page is shown.
const LazyRuleEditor = lazy(() =>
  import('../../components/RuleEditor/RuleEditor').then((m) => ({ default: m.RuleEditor }))
);

function RulesPageBody({ datasourceUid }: { datasourceUid: string }) {
  return (
    <Suspense fallback={<LoadingPlaceholder text="Loading the rules editor…" />}>
      <LazyRuleEditor datasourceUid={datasourceUid} />
    </Suspense>
  );
}

// rulesPage edits custom Falco rules against the Falco datasource the app is set up with.
export function rulesPage(settings: { falcoDatasourceUid: string }) {
  return new SceneAppPage({
    title: 'Rules',
    subTitle: 'Write custom Falco rules and see every mistake, with its line and column, as you type',
    url: prefixRoute(ROUTES.Rules),
    routePath: `${ROUTES.Rules}/*`,
    getScene: () =>
      new EmbeddedScene({
        body: new SceneReactObject({ component: RulesPageBody, props: { datasourceUid: settings.falcoDatasourceUid } }),
      }),
  });
}
