// One view in the browser: open it, let its queries finish, screenshot it, and list what a user would trip over.
import type { Browser } from '@playwright/test';
import { selectors } from '@grafana/e2e-selectors';
import type { PreviewView } from './views';

// The test id Grafana's PanelChrome puts on a panel's error badge.
export const PANEL_ERROR_TESTID = selectors.components.Panels.Panel.status('error');

export interface ViewReport {
  screenshot: string;
  findings: string[];
}

export async function inspectView(
  browser: Browser,
  baseUrl: string,
  view: PreviewView,
  nowMs: number,
  screenshot: string,
  pluginScreenshot?: string // the first screenful, for plugin.json
): Promise<ViewReport> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const findings: string[] = [];
  // Every failed request counts, fonts and icons too: the server serves what Grafana core would (grafanaAssets.ts).
  page.on('console', (m) => {
    if (m.type() === 'error') {
      findings.push(`console error: ${m.text().slice(0, 300)}`);
    } else if (m.type() === 'warning' && /React Router|react-router/i.test(m.text())) {
      findings.push(`React Router warning: ${m.text().slice(0, 300)}`);
    }
  });
  page.on('pageerror', (e) => findings.push(`page error: ${e.message.slice(0, 300)}`));
  page.on('response', (r) => r.status() >= 400 && findings.push(`HTTP ${r.status()} ${r.url().replace(baseUrl, '')}`));
  await page.clock.setFixedTime(nowMs);
  await page.goto(baseUrl + view.path);
  await page.waitForLoadState('networkidle');
  // Panels below the fold query when scrolled into view: scroll through the page, then let those queries finish.
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 600) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 150));
    }
    window.scrollTo(0, 0);
  });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(1000);
  await page.screenshot({ path: screenshot, fullPage: true });
  if (pluginScreenshot) {
    await page.screenshot({ path: pluginScreenshot, fullPage: false });
  }
  findings.push(...(await page.evaluate(pageProblems, PANEL_ERROR_TESTID)));
  await page.close();
  return { screenshot, findings };
}

// Runs in the page: panels without data, raw legend templates, text cut off by its box. Serialized into the page,
// so what it needs from outside comes in as an argument.
function pageProblems(PANEL_ERROR_TESTID: string): string[] {
  const problems: string[] = [];
  for (const panel of document.querySelectorAll('[data-viz-panel-key]')) {
    const title = panel.querySelector('h2')?.textContent ?? '(untitled panel)';
    const text = (panel as HTMLElement).innerText;
    if (/\bNo data\b/.test(text)) {
      problems.push(`no data: ${title}`);
    }
    if (/\{\{.*?\}\}/.test(text)) {
      problems.push(`raw legend template in: ${title}`);
    }
    // Only PanelChrome's status badge (@grafana/ui PanelStatus: selectors.components.Panels.Panel.status('error')):
    // a legend or series named "error" (a Falco priority, a Kyverno rule result) is not a panel error.
    const error = panel.querySelector(`[data-testid="${PANEL_ERROR_TESTID}"]`);
    if (error) {
      problems.push(`panel error: ${title}`);
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) {
    problems.push(`page wider than the window: ${document.documentElement.scrollWidth}px`);
  }
  return problems;
}
