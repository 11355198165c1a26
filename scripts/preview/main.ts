// npm run preview: the app's real SceneApp in Debian's Chromium, answered by the scenario's real Prometheus, one
// screenshot per page and drilldown; the Falco datasource's calls go to its built backend over the plugin protocol. Dev-only;
// PREVIEW_PROMETHEUS=<url> reuses a running scenario Prometheus, arguments pick views by name.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { DATASET_END } from '../promql/scenario/timeline';
import { startScenario } from '../promql/scenario/server';
import { bundlePreview } from './bundle';
import { FalcoBackend, seedEvents, startFalcoBackend } from './falcoBackend';
import { scenarioEvents } from './falcoEvents';
import { startPreviewServer } from './server';
import { VIEWS } from './views';
import { inspectView, ViewReport } from './inspect';

const CHROMIUM = process.env.PREVIEW_CHROMIUM ?? '/usr/bin/chromium';
const OUT = process.env.PREVIEW_OUT ?? join(tmpdir(), 'containersec-preview');
// PREVIEW_PLUGIN_SCREENSHOTS=1 also writes the screenshots plugin.json lists (src/img/screenshots).
const PLUGIN_SCREENSHOTS = process.env.PREVIEW_PLUGIN_SCREENSHOTS
  ? resolve(__dirname, '../../src/img/screenshots')
  : undefined;

async function main() {
  mkdirSync(OUT, { recursive: true });
  if (PLUGIN_SCREENSHOTS) {
    mkdirSync(PLUGIN_SCREENSHOTS, { recursive: true });
  }
  const scenario = process.env.PREVIEW_PROMETHEUS ? undefined : await startScenario((l) => console.log(l));
  const prometheusUrl = process.env.PREVIEW_PROMETHEUS ?? scenario!.prometheus.url;
  const falco = await startFalcoBackend().catch((e: Error): FalcoBackend | undefined => {
    console.warn(`The Falco datasource is left out of the preview (its calls answer 404): ${e.message}`);
    return undefined;
  });
  if (falco) {
    console.log(`${await seedEvents(falco, scenarioEvents())} scenario events ingested`);
  }
  const bundleDir = mkdtempSync(join(tmpdir(), 'containersec-preview-bundle-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  await bundlePreview(bundleDir);
  const { url, server } = await startPreviewServer(bundleDir, prometheusUrl, falco?.url);
  const only = process.argv.slice(2);
  const reports: ViewReport[] = [];
  try {
    for (const view of VIEWS.filter((v) => !only.length || only.includes(v.name))) {
      // The browser's clock stands at the scenario's end, so "now" and the exporter probes fall inside its day.
      const pluginShot =
        PLUGIN_SCREENSHOTS && view.pluginScreenshot
          ? join(PLUGIN_SCREENSHOTS, `${view.pluginScreenshot}.png`)
          : undefined;
      const report = await inspectView(
        browser,
        url,
        view,
        DATASET_END * 1000,
        join(OUT, `${view.name}.png`),
        pluginShot
      );
      reports.push(report);
      console.log(`\n${view.name}: ${report.screenshot}`);
      for (const line of report.findings) {
        console.log(`  ${line}`);
      }
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(bundleDir, { recursive: true, force: true });
    await falco?.stop();
    await scenario?.stop();
  }
  const troubled = reports.filter((r) => r.findings.length).length;
  console.log(`\n${reports.length} views, ${troubled} with findings; screenshots in ${OUT}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
