// Grafana's boot data, read by @grafana/runtime's config when it is first imported: this module must load first.
const bootData = {
  settings: {
    appSubUrl: '',
    buildInfo: { version: '13.1.1', edition: 'Open Source', env: 'development' },
    featureToggles: {},
    datasources: {},
    panels: {},
    apps: {},
    bootData: {},
  },
  user: {
    theme: 'dark',
    lightTheme: false,
    timezone: 'utc',
    orgRole: 'Admin',
    isSignedIn: true,
    id: 1,
    login: 'admin',
  },
  navTree: [],
  assets: {},
  themePaths: {},
};
Object.assign(window, { grafanaBootData: bootData, __grafana_public_path__: '/' });
