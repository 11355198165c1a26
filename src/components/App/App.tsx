import React, { useCallback } from 'react';
import { AppRootProps } from '@grafana/data';
import { SceneApp, useSceneApp } from '@grafana/scenes';
import { effectiveSettings } from '../../appSettings';
import { AppSettings } from '../../constants';
import { overviewPage } from '../../pages/Overview/overviewPage';

export function buildSceneApp(saved: AppSettings | undefined) {
  const settings = effectiveSettings(saved);
  return new SceneApp({
    pages: [overviewPage(settings)],
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
