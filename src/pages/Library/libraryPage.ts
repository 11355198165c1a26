import { SceneAppPage } from '@grafana/scenes';
import { prefixRoute, ROUTES } from '../../constants';
import { LazySceneBody } from '../../scenes/LazySceneBody';
import { buildLibraryScene } from './buildLibraryScene';

// The library scene, its views and the whole catalog load in their own chunk the first time the page is shown.
const loadLibrary = () => import('./libraryBody').then((m) => m.libraryBody());

export function libraryPage(settings: { prometheusDatasourceUid: string }) {
  return new SceneAppPage({
    title: 'Query library',
    subTitle: 'Every security query the app uses: what it detects, its PromQL for your labels, and a live preview',
    url: prefixRoute(ROUTES.Library),
    routePath: `${ROUTES.Library}/*`,
    getScene: () => buildLibraryScene(settings.prometheusDatasourceUid, new LazySceneBody(loadLibrary)),
  });
}
