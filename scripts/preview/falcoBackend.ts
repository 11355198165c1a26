// The Falco datasource's backend for the preview and the dev stack: the built plugin binary, started over Grafana's
// plugin protocol by the gateway in scripts/preview/falco, which serves Grafana's routes on 127.0.0.1.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { firstLineOf } from './childProcess';
import type { FalcoEvent } from './falcoEvents';

export interface FalcoBackend {
  url: string;
  ingestToken: string;
  stop: () => Promise<void>;
}

export interface FalcoBackendOptions {
  // The deploy settings: the cluster's kubeconfig (secure) and the chart repository the dev cluster serves.
  kubeconfig?: string;
  chartRepositoryUrl?: string;
}

const ROOT = resolve(__dirname, '../..');
// What `npm run build:backend` (mage) writes; PLUGIN_BINARY names another build.
const BUILT = join(ROOT, 'dist/datasource', `gpx_falco_linux_${process.arch === 'arm64' ? 'arm64' : 'amd64'}`);

function go(args: string[], env: NodeJS.ProcessEnv = {}) {
  execFileSync('go', args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
}

export async function startFalcoBackend(options: FalcoBackendOptions = {}): Promise<FalcoBackend> {
  const dir = mkdtempSync(join(tmpdir(), 'containersec-devstack-falco-'));
  let plugin = process.env.PLUGIN_BINARY ?? BUILT;
  try {
    if (!existsSync(plugin)) {
      // The same static build as the mage target and pkg/plugin/protocol_test.go's pluginBinary.
      plugin = join(dir, 'gpx_falco');
      go(['build', '-ldflags', '-w -s', '-o', plugin, './pkg'], { CGO_ENABLED: '0' });
    }
    go(['build', '-o', join(dir, 'gateway'), './scripts/preview/falco']);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const ingestToken = randomBytes(24).toString('hex');
  const secureFile = join(dir, 'secure.json');
  writeFileSync(
    secureFile,
    JSON.stringify({ ingestToken, ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}) }),
    {
      mode: 0o600,
    }
  );
  const jsonData = {
    eventStore: 'sqlite',
    sqlitePath: join(dir, 'events.db'),
    retentionDays: 3650, // the scenario's day lies in the past: keep it
    ...(options.kubeconfig
      ? {
          kubeAccess: 'kubeconfig',
          falcoNamespace: 'falco',
          chartSource: 'repository',
          chartRepositoryUrl: options.chartRepositoryUrl,
        }
      : {}),
  };
  const child: ChildProcess = spawn(
    join(dir, 'gateway'),
    ['-plugin', plugin, '-json-data', JSON.stringify(jsonData), '-secure-file', secureFile],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  );
  // The gateway prints its address as its first line.
  const { line: url, stop } = await firstLineOf(child, dir, 'the Falco backend');
  return { url, ingestToken, stop };
}

// Sends the events through the datasource's real ingest endpoint, as falcosidekick's webhook output would (it
// posts one event per request; the endpoint also takes arrays, which keeps seeding quick).
export async function seedEvents(backend: FalcoBackend, events: FalcoEvent[]): Promise<number> {
  let stored = 0;
  for (let i = 0; i < events.length; i += 200) {
    const res = await fetch(`${backend.url}/api/datasources/uid/falco/resources/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Containersec-Ingest-Token': backend.ingestToken },
      body: JSON.stringify(events.slice(i, i + 200)),
    });
    const body = await res.json();
    if (!res.ok) {
      throw new Error(`ingest answered ${res.status}: ${JSON.stringify(body)}`);
    }
    stored += body.stored;
  }
  return stored;
}
