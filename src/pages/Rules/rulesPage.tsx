import React, { lazy, Suspense } from 'react';
import { EmbeddedScene, SceneAppPage, SceneReactObject } from '@grafana/scenes';
import { LoadingPlaceholder } from '@grafana/ui';
import { prefixRoute, ROUTES } from '../../constants';

// The editor (Monaco, the catalog, the rules table) and the deploy panel load in their own chunk the first time the
// page is shown.
const LazyRulesWorkspace = lazy(() => import('../../components/Deploy/RulesWorkspace'));

function RulesPageBody({ datasourceUid }: { datasourceUid: string }) {
  return (
    <Suspense fallback={<LoadingPlaceholder text="Loading the rules editor…" />}>
      <LazyRulesWorkspace datasourceUid={datasourceUid} />
    </Suspense>
  );
}

// rulesPage edits custom Falco rules against the Falco datasource the app is set up with.
export function rulesPage(settings: { falcoDatasourceUid: string }) {
  return new SceneAppPage({
    title: 'Rules',
    subTitle:
      'Write custom Falco rules, see every mistake with its line and column as you type, then preview and deploy them to the Falco Helm release',
    url: prefixRoute(ROUTES.Rules),
    routePath: `${ROUTES.Rules}/*`,
    getScene: () =>
      new EmbeddedScene({
        body: new SceneReactObject({ component: RulesPageBody, props: { datasourceUid: settings.falcoDatasourceUid } }),
      }),
  });
}
