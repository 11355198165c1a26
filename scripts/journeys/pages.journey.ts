// d. axe-core on every page and drilldown, each with its data loaded; 4. the catalog screenshots from the same views.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { drilldownUrl, prefixRoute, ROUTES } from '../../src/constants';
import { expect, expectAccessible, settled, test } from './fixtures';
import {
  ATTACKS,
  AT_SHELL,
  CRITICAL_DETECTION,
  HOSTILE_NAMESPACE,
  HOSTILE_POD,
  HOSTILE_RULE,
  range,
  RULES,
} from './scenario';

const shell = ATTACKS.shellInNginx;
const cpu = ATTACKS.cpuBurn;
const AT_CPU = range(cpu.window.start - 3600, cpu.window.end + 1800);

const VIEWS: Array<[string, string]> = [
  ['Overview', `${prefixRoute(ROUTES.Overview)}?${AT_SHELL}`],
  ['Events', `${prefixRoute(ROUTES.Events)}?${AT_SHELL}`],
  ['Runtime', `${prefixRoute(ROUTES.Runtime)}?${AT_SHELL}`],
  ['Resources', `${prefixRoute(ROUTES.Resources)}?${AT_CPU}`],
  [
    'Network',
    `${prefixRoute(ROUTES.Network)}?${range(ATTACKS.nmapScan.window.start - 1800, ATTACKS.nmapScan.window.end + 1800)}`,
  ],
  ['Posture', `${prefixRoute(ROUTES.Posture)}?${AT_SHELL}`],
  ['Library', `${prefixRoute(ROUTES.Library)}?${AT_SHELL}`],
  ['Rules', prefixRoute(ROUTES.Rules)],
  [
    'Pod drilldown',
    `${drilldownUrl(ROUTES.Runtime, 'pod', { namespace: shell.pod.namespace, pod: shell.pod.name })}?${AT_SHELL}`,
  ],
  [
    'Namespace drilldown',
    `${drilldownUrl(ROUTES.Runtime, 'namespace', { namespace: shell.pod.namespace })}?${AT_SHELL}`,
  ],
  ['Rule drilldown', `${drilldownUrl(ROUTES.Runtime, 'rule', { rule: RULES.terminalShell.rule })}?${AT_SHELL}`],
];

for (const [name, path] of VIEWS) {
  test(`axe: ${name} has no critical or serious violation`, async ({ page }) => {
    await page.goto(path);
    await settled(page);
    await expectAccessible(page, name);
  });
}

// The screenshots plugin.json lists (src/img/screenshots): the scenario's attacks with their real data, as a
// Viewer sees them. JOURNEYS_UPDATE_SCREENSHOTS=1 writes them into src/, else into the test reports.
const SHOTS = process.env.JOURNEYS_UPDATE_SCREENSHOTS
  ? resolve(__dirname, '../../src/img/screenshots')
  : resolve(__dirname, '../../.test-reports/journeys-screenshots');
// The minutes around the Critical detection, while curl fetches its payload in the same pod (no other rule fires).
const atCritical = range(CRITICAL_DETECTION.start - 120, CRITICAL_DETECTION.start + 240);
// From the shell in nginx to the Critical detection, in the application namespaces.
const attackMorning = range(ATTACKS.shellInNginx.window.start - 600, CRITICAL_DETECTION.end + 600);
const appNamespaces = ['web', 'shop', 'dev'].map((ns) => `var-namespace=${ns}`).join('&');
const CATALOG: Array<[string, string]> = [
  ['overview', `${prefixRoute(ROUTES.Overview)}?${atCritical}`],
  ['events', `${prefixRoute(ROUTES.Events)}?${attackMorning}&${appNamespaces}`],
  [
    'pod-drilldown',
    `${drilldownUrl(ROUTES.Runtime, 'pod', { namespace: shell.pod.namespace, pod: shell.pod.name })}?${AT_SHELL}`,
  ],
  ['rules', prefixRoute(ROUTES.Rules)],
];

test.describe('catalog screenshots', () => {
  test.use({ role: 'Viewer' });
  for (const [file, path] of CATALOG) {
    test(`${file}.png shows realistic data only`, async ({ page }) => {
      mkdirSync(SHOTS, { recursive: true });
      await page.goto(path);
      await settled(page);
      // The Overview's shot starts at its panels: the lines above them name the event store's file, which only
      // Admins should see (seam: browser-b, "no server paths to non-Admins").
      const grid = page.locator('.react-grid-layout').first();
      const top = file === 'overview' ? ((await grid.boundingBox())?.y ?? 0) - 16 : 0;
      // The Overview's first line (events by priority, Critical and above): the falcosidekick panel on the next one
      // lists every namespace with series in the range, the scenario's hostile test namespaces among them.
      const headline = file === 'overview' ? await page.locator('[data-viz-panel-key]').nth(1).boundingBox() : null;
      const height = headline ? headline.y + headline.height + 16 - top : 1000;
      const clip = { x: 0, y: top, width: 1600, height };
      // The text the picture shows: every text node inside the clip.
      const text = await page.evaluate(({ y, height }) => {
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        const shown: string[] = [];
        while (walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(walker.currentNode);
          const box = range.getBoundingClientRect();
          const at = box.top + window.scrollY;
          if (box.height > 0 && at < y + height && at + box.height > y) {
            shown.push(walker.currentNode.textContent ?? '');
          }
        }
        return shown.join('\n');
      }, clip);
      // No test strings and no files of the machine that took it.
      for (const hostile of [
        HOSTILE_RULE.rule,
        HOSTILE_NAMESPACE,
        HOSTILE_POD.split('\n')[0],
        'Evil "rule"',
        'hostile"ns',
      ]) {
        expect(text, `${file}: ${hostile}`).not.toContain(hostile);
      }
      expect(text).not.toMatch(/containersec-(devstack|scenario|preview)|events\.db/);
      await page.screenshot({ path: join(SHOTS, `${file}.png`), clip, fullPage: true });
      if (file === 'rules' && process.env.JOURNEYS_UPDATE_SCREENSHOTS) {
        // The Falco datasource's own catalog entry shows the same page (src/datasource/plugin.json).
        copyFileSync(join(SHOTS, 'rules.png'), resolve(__dirname, '../../src/datasource/img/screenshots/rules.png'));
      }
    });
  }
});
