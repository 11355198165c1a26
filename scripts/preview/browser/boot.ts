// Grafana's boot data, read by @grafana/runtime's config when it is first imported: this module must load first.
// The dev stack's switches: ?role=Admin|Editor|Viewer and ?theme=dark|light (kept in cookies for the server and later
// pages), and the scenario's clock, so "now" is the end of the scenario's day.
declare global {
  interface Window {
    __devstack?: { role: string; theme: string; now?: number };
  }
}

const ROLES = ['Admin', 'Editor', 'Viewer'];
const THEMES = ['dark', 'light'];
const defaults = window.__devstack ?? { role: 'Admin', theme: 'dark' };

function cookie(name: string): string | undefined {
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}

// A switch in the URL wins and is remembered; the URL loses it so the app's own URL state stays as Grafana's.
function choose(param: string, allowed: string[], fallback: string): string {
  const url = new URL(window.location.href);
  const asked = url.searchParams.get(param);
  if (asked && allowed.includes(asked)) {
    document.cookie = `devstack_${param}=${asked}; path=/; SameSite=Strict`;
    url.searchParams.delete(param);
    window.history.replaceState(window.history.state, '', url.toString());
    return asked;
  }
  const kept = cookie(`devstack_${param}`);
  return kept && allowed.includes(kept) ? kept : fallback;
}

const role = choose('role', ROLES, defaults.role);
const theme = choose('theme', THEMES, defaults.theme);
// The server's role header follows the cookie: set it for the default too.
document.cookie = `devstack_role=${role}; path=/; SameSite=Strict`;

// Time flows from the scenario's end (the page's load is that instant), unless a test fixed the clock itself.
if (defaults.now && Date.now() - defaults.now > 86400000) {
  const RealDate = Date;
  const offset = defaults.now - RealDate.now();
  class ScenarioDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) {
        super(RealDate.now() + offset);
      } else {
        super(...(args as [number]));
      }
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  window.Date = ScenarioDate as DateConstructor;
}

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
    theme,
    lightTheme: theme === 'light',
    timezone: 'utc',
    orgRole: role,
    isSignedIn: true,
    id: 1,
    login: role.toLowerCase(),
  },
  navTree: [],
  assets: {},
  themePaths: {},
};
Object.assign(window, { grafanaBootData: bootData, __grafana_public_path__: '/' });

export {};
