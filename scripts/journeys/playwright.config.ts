// The analyst's journeys in Debian's Chromium against the full local stack (scripts/preview/stack.ts): the real
// backend binary over the plugin protocol, the scenario's Prometheus and events, a real kube-apiserver.
// Run with `npm run test:journeys` (scripts/journeys.sh); plugin-e2e specs for a real Grafana stay in tests/.
import { defineConfig } from '@playwright/test';

export const CHROMIUM = process.env.JOURNEYS_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.journey\.ts$/,
  globalSetup: require.resolve('./globalSetup'),
  // One browser at a time on a shared CI machine; the deploy journey changes the one cluster in order.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: process.env.CI
    ? [['list'], ['json', { outputFile: '../../.test-reports/journeys-playwright.json' }]]
    : [['list']],
  outputDir: '../../.test-reports/journeys-output',
  use: {
    viewport: { width: 1600, height: 1000 },
    // Debian's chromium: Playwright's own browser download is not available everywhere we run.
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'retain-on-failure',
  },
});
