// What every journey shares: the stack's address, the role switch, waiting for queries, and the axe check.
import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test as base } from '@playwright/test';
import { PLUGIN_BASE_URL } from '../../src/constants';

export type Role = 'Admin' | 'Editor' | 'Viewer';

export const test = base.extend<{ role: Role }>({
  role: ['Admin', { option: true }],
  // The stack's address is known once globalSetup started it.
  baseURL: async ({}, provide) => provide(process.env.JOURNEYS_URL),
  page: async ({ page, role }, provide) => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // The role switch (scripts/preview/browser/boot.ts) is a cookie the dev server turns into Grafana's user role.
    await page
      .context()
      .addCookies([{ name: 'devstack_role', value: role, url: process.env.JOURNEYS_URL!, sameSite: 'Strict' }]);
    await provide(page);
    expect(problems, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };

export function appPath(path: string): string {
  return `${PLUGIN_BASE_URL}/${path.replace(/^\//, '')}`;
}

// Lets the page's queries finish: scene pages draw their panels once the layout has measured the page, and panels
// below the fold only when scrolled to (as in Grafana), so scroll through, then wait for the requests to end.
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(
    () => !document.querySelector('.react-grid-layout') || document.querySelector('[data-viz-panel-key]')
  );
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 600) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 100));
    }
    window.scrollTo(0, 0);
  });
  await page.waitForLoadState('networkidle');
  await expect(page.getByText(/^Loading/)).toHaveCount(0);
  await page.waitForLoadState('networkidle');
}

// The fault switches of the stack: the backend binary (gateway) and the deployer's RBAC (dev cluster).
export async function backendPlugin(action: 'stop' | 'start'): Promise<void> {
  const res = await fetch(`${process.env.JOURNEYS_BACKEND}/devstack/plugin/${action}`, { method: 'POST' });
  expect(res.status, `plugin ${action}`).toBe(204);
}

export async function deployerRBAC(action: 'revoke' | 'restore'): Promise<void> {
  const control = process.env.JOURNEYS_KUBE_CONTROL;
  expect(control, `the dev cluster did not start: ${process.env.JOURNEYS_KUBE_PROBLEM}`).toBeTruthy();
  const res = await fetch(`${control}/rbac/${action}`, { method: 'POST' });
  expect(res.status, `RBAC ${action}`).toBe(204);
}

// axe-core on the page as it is: no critical or serious violation. The dev server's page chrome (a stand-in for
// Grafana's) is left out; everything else on the page is the app's own or the Grafana UI components it renders.
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).exclude('[data-testid="preview-breadcrumb"]').analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 5)
          .join(' | ')}`
    );
  expect(serious, `axe on ${what}`).toEqual([]);
}
