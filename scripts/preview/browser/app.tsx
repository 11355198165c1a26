import React, { useLayoutEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Route, Router, Routes } from 'react-router-dom';
import { config, LocationServiceProvider, locationService, setPluginImportUtils } from '@grafana/runtime';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import type { AppRootProps } from '@grafana/data';
// Grafana core sets the page chrome through this internal setter; @grafana/runtime does not export it.
import { setPluginPage } from '../../../node_modules/@grafana/runtime/dist/esm/components/PluginPage.mjs';
import { plugin } from '../../../src/module';
import { PLUGIN_BASE_URL, PLUGIN_ID } from '../../../src/constants';
import { registerStandardFieldOptions, registerStandardTransformers } from './fieldOptions';
import { standInGrafanaServices } from './grafanaServices';
import { previewPanelPlugin } from './panels';
import { PreviewPage } from './PreviewPage';

standInGrafanaServices();
registerStandardFieldOptions();
registerStandardTransformers();
setPluginPage(PreviewPage);
setPluginImportUtils({
  importPanelPlugin: async (id: string) => previewPanelPlugin(id),
  getPanelPluginFromCache: () => undefined,
});

// react-router v6 over Grafana's history object, as Grafana mounts app plugins.
function PreviewRouter({ children }: { children: React.ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useLayoutEffect(() => history.listen((l: typeof location) => setLocation(l)), [history]);
  return (
    <Router navigator={history as any} location={location}>
      {children}
    </Router>
  );
}

const AppRoot = plugin.root as React.ComponentType<AppRootProps>;
const meta = { id: PLUGIN_ID, jsonData: {}, enabled: true } as unknown as AppRootProps['meta'];

createRoot(document.getElementById('root')!).render(
  <ThemeContext.Provider value={config.theme2}>
    <GlobalStyles />
    <LocationServiceProvider service={locationService}>
      <PreviewRouter>
        <Routes>
          <Route
            path={`${PLUGIN_BASE_URL}/*`}
            element={<AppRoot meta={meta} basename={PLUGIN_BASE_URL} query={{}} path="" onNavChanged={() => {}} />}
          />
        </Routes>
      </PreviewRouter>
    </LocationServiceProvider>
  </ThemeContext.Provider>
);
