// One view in the browser: open it, let its queries finish, screenshot it, and list what a user would trip over.
import type { Browser } from '@playwright/test';
import type { PreviewView } from './views';

export interface ViewReport {
  screenshot: string;
  findings: string[];
}

export async function inspectView(
  browser: Browser,
  baseUrl: string,
  view: PreviewView,
  nowMs: number,
  screenshot: string
): Promise<ViewReport> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const findings: string[] = [];
  // Grafana core ships a few icons (the spinner) that @grafana/ui's package lacks: not the app's problem.
  const coreOnlyIcon = (url: string) => url.includes('/build/img/icons/');
  page.on(
    'console',
    (m) =>
      m.type() === 'error' &&
      !coreOnlyIcon(m.location().url) &&
      findings.push(`console error: ${m.text().slice(0, 300)}`)
  );
  page.on('pageerror', (e) => findings.push(`page error: ${e.message.slice(0, 300)}`));
  page.on(
    'response',
    (r) =>
      r.status() >= 400 && !coreOnlyIcon(r.url()) && findings.push(`HTTP ${r.status()} ${r.url().replace(baseUrl, '')}`)
  );
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
  findings.push(...(await page.evaluate(pageProblems)));
  await page.close();
  return { screenshot, findings };
}

// Runs in the page: panels without data, raw legend templates, text cut off by its box.
function pageProblems(): string[] {
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
    const error = panel.querySelector('[data-testid*="Panel status error"], [aria-label*="error"]');
    if (error) {
      problems.push(`panel error: ${title}`);
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) {
    problems.push(`page wider than the window: ${document.documentElement.scrollWidth}px`);
  }
  return problems;
}
