import { FalcoOptions } from '../types';

export const MAX_RETENTION_DAYS = 3650;
export const MAX_STORE_MB = 1024 * 1024; // 1 TiB

type Checked = 'sqlitePath' | 'lokiUrl' | 'retentionDays' | 'maxStoreMB';

// validateOptions mirrors the backend's checks so the user sees a problem before "Save & test".
export function validateOptions(o: FalcoOptions): Partial<Record<Checked, string>> {
  const errors: Partial<Record<Checked, string>> = {};
  // The backend has no default file any more (events-api.md): the embedded store needs its path.
  if ((o.eventStore ?? 'sqlite') === 'sqlite' && !o.sqlitePath) {
    errors.sqlitePath = 'The embedded store needs a file, for example /var/lib/grafana/containersec-falco/events.db';
  } else if ((o.eventStore ?? 'sqlite') === 'sqlite' && o.sqlitePath) {
    if (!o.sqlitePath.startsWith('/')) {
      errors.sqlitePath = 'Use an absolute path, for example /var/lib/grafana/containersec-falco/events.db';
    } else if (o.sqlitePath.split('/').includes('..')) {
      errors.sqlitePath = "The path must not contain '..'";
    } else if (o.sqlitePath.endsWith('/')) {
      errors.sqlitePath = 'Add a file name such as events.db';
    } else if (o.sqlitePath.split('/').pop() === 'grafana.db') {
      errors.sqlitePath = "That is Grafana's own database; use a file of its own such as events.db";
    }
  }
  if (o.eventStore === 'loki') {
    errors.lokiUrl = lokiUrlProblem(o.lokiUrl);
  }
  if (
    o.retentionDays !== undefined &&
    (!Number.isInteger(o.retentionDays) || o.retentionDays < 1 || o.retentionDays > MAX_RETENTION_DAYS)
  ) {
    errors.retentionDays = `Between 1 and ${MAX_RETENTION_DAYS} days`;
  }
  if (
    o.maxStoreMB !== undefined &&
    (!Number.isInteger(o.maxStoreMB) || o.maxStoreMB < 1 || o.maxStoreMB > MAX_STORE_MB)
  ) {
    errors.maxStoreMB = `A whole number of megabytes from 1 to ${MAX_STORE_MB}`;
  }
  for (const k of Object.keys(errors) as Array<keyof typeof errors>) {
    if (!errors[k]) {
      delete errors[k];
    }
  }
  return errors;
}

// As the backend's parseFalcoPlugins (pkg/plugin/rules_plugins.go): a name as Falco's load_plugins holds it.
const FALCO_PLUGIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function falcoPluginsProblem(plugins: string[]): string | undefined {
  const bad = plugins.map((p) => p.trim()).find((p) => p !== '' && !FALCO_PLUGIN_NAME.test(p));
  return bad === undefined
    ? undefined
    : `Falco plugin "${bad}" is not a plugin name (as in Falco's load_plugins, for example k8saudit)`;
}

function lokiUrlProblem(raw: string | undefined): string | undefined {
  if (!raw) {
    return 'Loki needs a URL, for example http://loki:3100';
  }
  return httpUrlProblem(raw, 'Use http:// or https://', 'Do not put credentials in the URL');
}

// httpUrlProblem is the check every http(s) URL setting shares: it parses, is http or https, and carries no
// credentials (the backend refuses those, and they belong in secureJsonData).
export function httpUrlProblem(raw: string, schemeProblem: string, credentialsProblem: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'Not a valid URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return schemeProblem;
  }
  if (u.username || u.password) {
    return credentialsProblem;
  }
  return undefined;
}
