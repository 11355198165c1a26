import React, { useCallback } from 'react';
import { AppRootProps } from '@grafana/data';
import { SceneApp, SceneAppPage, useSceneApp } from '@grafana/scenes';
import { effectiveSettings } from '../../appSettings';
import { AppSettings } from '../../constants';
import { overviewPage } from '../../pages/Overview/overviewPage';
import { runtimePage } from '../../pages/Runtime/runtimePage';
import { eventsPage } from '../../pages/Events/eventsPage';
import { setEventsDatasourceUid } from '../../scenes/events/eventQueries';
import { resourcesPage } from '../../pages/Resources/resourcesPage';
import { networkPage } from '../../pages/Network/networkPage';
import { posturePage } from '../../pages/Posture/posturePage';
import { rulesPage } from '../../pages/Rules/rulesPage';
import { libraryPage } from '../../pages/Library/libraryPage';

// The app's pages in nav order: a new page is one entry here, one in ROUTES and one nav include in plugin.json.
const PAGES: Array<(settings: Required<AppSettings>) => SceneAppPage> = [
  overviewPage,
  eventsPage,
  runtimePage,
  resourcesPage,
  networkPage,
  posturePage,
  libraryPage,
  rulesPage,
];

export function buildSceneApp(saved: AppSettings | undefined) {
  const settings = effectiveSettings(saved);
  setEventsDatasourceUid(settings.falcoDatasourceUid); // event lists on every page and drilldown query this one
  return new SceneApp({
    pages: PAGES.map((page) => page(settings)),
    urlSyncOptions: { updateUrlOnInit: true, createBrowserHistorySteps: true },
  });
}

function App({ meta }: AppRootProps<AppSettings>) {
  const jsonData = meta.jsonData;
  const factory = useCallback(() => buildSceneApp(jsonData), [jsonData]);
  const scene = useSceneApp(factory);
  return <scene.Component model={scene} />;
}

export default App;
