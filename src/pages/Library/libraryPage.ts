import { SceneAppPage } from '@grafana/scenes';
import { prefixRoute, ROUTES } from '../../constants';
import { buildLibraryScene } from './buildLibraryScene';
import { libraryBody } from './libraryBody';

export function libraryPage(settings: { prometheusDatasourceUid: string }) {
  return new SceneAppPage({
    title: 'Query library',
    subTitle: 'Every security query the app uses: what it detects, its PromQL for your labels, and a live preview',
    url: prefixRoute(ROUTES.Library),
    routePath: `${ROUTES.Library}/*`,
    getScene: () => buildLibraryScene(settings.prometheusDatasourceUid, libraryBody()),
  });
}
