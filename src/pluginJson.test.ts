import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Both manifests list screenshots the preview took (npm run preview with PREVIEW_PLUGIN_SCREENSHOTS=1) and the
// project's source location as author URL; Grafana's catalog shows both.
const MANIFESTS = [join(__dirname, 'plugin.json'), join(__dirname, 'datasource', 'plugin.json')];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe.each(MANIFESTS)('%s', (manifest) => {
  const info = JSON.parse(readFileSync(manifest, 'utf8')).info;

  test('lists screenshots that exist, are PNGs and stay small', () => {
    expect(info.screenshots.length).toBeGreaterThan(0);
    for (const shot of info.screenshots) {
      const file = join(dirname(manifest), shot.path);
      expect(shot.name).toMatch(/\w/);
      expect(readFileSync(file).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect([shot.path, statSync(file).size < 600 * 1024]).toEqual([shot.path, true]);
    }
  });

  test('names the repository the go module is published as, for author and source', () => {
    const goModule = /^module (\S+)$/m.exec(readFileSync(join(__dirname, '..', 'go.mod'), 'utf8'))![1];
    expect(info.author.url).toBe(`https://${goModule}`);
  });
});
