import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DASHBOARD_FOLDER, generateDashboardFiles, staleFiles } from './files';
import { DASHBOARD_PAGES } from './pages';

const root = join(__dirname, '..', '..');
const files = generateDashboardFiles(DASHBOARD_PAGES);

function writeAll(dir: string) {
  execFileSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/generate-dashboards.ts'), '--out', dir]);
}
const check = (dir: string) =>
  spawnSync(
    join(root, 'node_modules/.bin/tsx'),
    [join(root, 'scripts/generate-dashboards.ts'), '--check', '--out', dir],
    {
      encoding: 'utf8',
    }
  );

test('each ConfigMap embeds exactly its dashboard JSON, with the sidecar label and folder annotation', () => {
  for (const page of DASHBOARD_PAGES) {
    const cm = parse(files.get(`configmaps/${page.id}.yaml`)!);
    expect(cm).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: `containersec-${page.id}-dashboard`,
        labels: { grafana_dashboard: '1' },
        annotations: { grafana_folder: DASHBOARD_FOLDER },
      },
    });
    expect(Object.keys(cm.data)).toEqual([`containersec-${page.id}.json`]);
    expect(cm.data[`containersec-${page.id}.json`]).toBe(files.get(`${page.id}.json`));
    // kubectl apply keeps the whole object in an annotation capped at 256 KiB.
    expect(Buffer.byteLength(files.get(`configmaps/${page.id}.yaml`)!)).toBeLessThan(256 * 1024);
  }
});

test('the kustomization lists every ConfigMap and nothing else', () => {
  const k = parse(files.get('configmaps/kustomization.yaml')!);
  expect(k.kind).toBe('Kustomization');
  expect(k.resources).toEqual(DASHBOARD_PAGES.map((p) => `${p.id}.yaml`));
  for (const r of k.resources) {
    expect(files.has(`configmaps/${r}`)).toBe(true);
  }
});

describe('the stale check', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dashboards-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('names changed, missing and left-over files', () => {
    for (const [path, content] of files) {
      if (!path.includes('/')) {
        writeFileSync(join(dir, path), content);
      }
    }
    expect(staleFiles(dir, files)).toEqual([...files.keys()].filter((p) => p.startsWith('configmaps/')).sort());

    writeFileSync(join(dir, 'overview.json'), files.get('overview.json')!.replace('"now-6h"', '"now-1h"'));
    writeFileSync(join(dir, 'removed-page.json'), '{}');
    expect(staleFiles(dir, files)).toEqual(
      expect.arrayContaining(['overview.json', 'removed-page.json', 'configmaps/overview.yaml'])
    );
    expect(staleFiles(dir, files)).not.toContain('runtime.json');
  });

  test('the generator passes --check on what it wrote and fails, naming the file, once one is edited', () => {
    writeAll(dir);
    expect(check(dir).status).toBe(0);

    const path = join(dir, 'configmaps', 'runtime.yaml');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace('grafana_folder: Container Security', 'grafana_folder: Other')
    );
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('configmaps/runtime.yaml');
    expect(result.stderr).not.toContain('runtime.json');
  });
});
