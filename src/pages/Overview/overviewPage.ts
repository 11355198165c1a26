import { EmbeddedScene, SceneAppPage, SceneFlexItem, SceneFlexLayout } from '@grafana/scenes';
import { prefixRoute, ROUTES } from '../../constants';
import { SetupStatus } from './SetupStatus';

export function overviewPage(settings: { prometheusDatasourceUid: string; falcoDatasourceUid: string }) {
  return new SceneAppPage({
    title: 'Overview',
    subTitle: 'The security state of your clusters, from Falco and Prometheus',
    url: prefixRoute(ROUTES.Overview),
    routePath: `${ROUTES.Overview}/*`,
    getScene: () =>
      new EmbeddedScene({
        body: new SceneFlexLayout({
          direction: 'column',
          children: [new SceneFlexItem({ body: new SetupStatus(settings) })],
        }),
      }),
  });
}
