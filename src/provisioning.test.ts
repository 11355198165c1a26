// The docker compose stack cannot start here; these checks hold its files to the plugin they serve.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import appJson from './plugin.json';
import dsJson from './datasource/plugin.json';
import { PROVISIONED_FALCO_UID, PROVISIONED_PROMETHEUS_UID } from './constants';
import { DASHBOARD_FOLDER } from './dashboards/files';
import { DASHBOARD_PAGES } from './dashboards/pages';

const root = join(__dirname, '..');
const load = (p: string) => parse(readFileSync(join(root, p), 'utf8'));

const compose = load('docker-compose.yaml');
const datasources = load('provisioning/datasources/datasources.yaml').datasources;
const prometheus = load('provisioning/prometheus/prometheus.yml');

test('Grafana loads the built plugin under its id and allows both unsigned ids', () => {
  const grafana = compose.services.grafana;
  expect(grafana.volumes).toContain(`./dist:/var/lib/grafana/plugins/${appJson.id}`);
  expect(grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',')).toEqual([appJson.id, dsJson.id]);
  expect(grafana.build.args.anonymous_auth_enabled).toBe('${ANONYMOUS_AUTH_ENABLED:-false}');
  expect(grafana.build.args.grafana_version).toMatch(/:-13\./);
});

test('the provisioned datasources have the uids the app defaults to, and the token is a secret', () => {
  const byUid = Object.fromEntries(datasources.map((d: any) => [d.uid, d]));
  expect(byUid[PROVISIONED_PROMETHEUS_UID].type).toBe('prometheus');
  const falco = byUid[PROVISIONED_FALCO_UID];
  expect(falco.type).toBe(dsJson.id);
  expect(falco.secureJsonData.ingestToken).toBe('$FALCO_INGEST_TOKEN');
  expect(JSON.stringify(falco.jsonData)).not.toMatch(/token/i);
  expect(compose.services.grafana.environment.FALCO_INGEST_TOKEN).toBeDefined();
});

test('the app is enabled with those datasources', () => {
  const app = load('provisioning/plugins/app.yaml').apps[0];
  expect(app.type).toBe(appJson.id);
  expect(app.jsonData).toEqual({
    prometheusDatasourceUid: PROVISIONED_PROMETHEUS_UID,
    falcoDatasourceUid: PROVISIONED_FALCO_UID,
  });
});

test("Prometheus scrapes Falco's native metrics and falcosidekick at the ports those services serve", () => {
  const targets = Object.fromEntries(
    prometheus.scrape_configs.map((s: any) => [s.job_name, s.static_configs[0].targets[0]])
  );
  expect(targets.falco).toBe('falco:8765');
  expect(targets.falcosidekick).toBe('falcosidekick:2801');
  for (const t of [targets.falco, targets.falcosidekick]) {
    expect(Object.keys(compose.services)).toContain(t.split(':')[0]);
  }
  const falcoConfig = load('provisioning/falco/config.d/containersec.yaml');
  expect(falcoConfig.webserver).toMatchObject({ enabled: true, listen_port: 8765, prometheus_metrics_enabled: true });
  expect(falcoConfig.metrics.enabled).toBe(true);
  expect(falcoConfig.http_output.url).toBe('http://falcosidekick:2801/');
  expect(compose.services.falco.command).toEqual(expect.arrayContaining(['engine.kind=modern_ebpf']));
});

test('Prometheus accepts its provisioned config (promtool check config)', () => {
  const out = execFileSync('promtool', ['check', 'config', join(root, 'provisioning/prometheus/prometheus.yml')], {
    encoding: 'utf8',
  });
  expect(out).toMatch(/SUCCESS/);
});

test('every file the stack mounts from the repository exists (dist/ is built before it starts)', () => {
  const sources = Object.values<any>(compose.services)
    .flatMap((svc) => svc.volumes ?? [])
    .map((v: string) => v.split(':')[0])
    .filter((src: string) => src.startsWith('./') && src !== './dist');
  expect(sources.length).toBeGreaterThan(3);
  for (const src of sources) {
    expect([src, existsSync(join(root, src))]).toEqual([src, true]);
  }
});

test('Grafana loads the generated dashboards, read-only, into the folder their sidecar ConfigMaps name', () => {
  const provider = load('provisioning/dashboards/containersec.yaml').providers[0];
  expect(provider).toMatchObject({
    type: 'file',
    folder: DASHBOARD_FOLDER,
    allowUiUpdates: false,
    disableDeletion: true,
  });
  expect(compose.services.grafana.volumes).toContain(`./dashboards:${provider.options.path}:ro`);
  for (const page of DASHBOARD_PAGES) {
    expect(existsSync(join(root, 'dashboards', `${page.id}.json`))).toBe(true);
  }
});
