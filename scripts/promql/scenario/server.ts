// The scenario served by a real Prometheus: generate, backfill (series, then recording rules pass by pass), start.
// Used by the scenario tests and the benchmark; `stop()` kills the server and removes every file it made.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  backfillOpenMetrics,
  backfillRulePass,
  type BlockRange,
  blocksWithoutOverlap,
  recordingRules,
  rulePasses,
} from './backfill';
import { generateScenarioInWindows } from './generate';
import { PrometheusServer } from './prometheus';

export const RULES_FILE = resolve(__dirname, '../../../rules/prometheus/containersec.rules.yaml');
// Hours of scrapes per OpenMetrics file: the whole day is ~4.4 GB of text, a 2 h window ~370 MB.
export const WINDOW_HOURS = 2;

export interface ScenarioServer {
  prometheus: PrometheusServer;
  timings: Record<string, number>; // seconds per setup step
  series: number;
  samples: number;
  seriesBlocks: BlockRange[]; // the blocks the scenario's series were backfilled into (before the recording rules)
  stop: () => Promise<void>;
}

export async function startScenario(log: (line: string) => void = () => {}): Promise<ScenarioServer> {
  const work = mkdtempSync(join(tmpdir(), 'containersec-scenario-'));
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);
  const timings: Record<string, number> = {};
  const step = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    const result = await f();
    timings[name] = Number(((performance.now() - started) / 1000).toFixed(1));
    log(`${name}: ${timings[name]} s`);
    return result;
  };
  const ruleFiles = existsSync(RULES_FILE) ? [RULES_FILE] : [];
  const prometheus = new PrometheusServer(dataDir, ruleFiles);
  prometheus.killOnExit();
  const stop = async () => {
    await prometheus.stop();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const stats = await step('generate and backfill series', () =>
      generateScenarioInWindows(work, WINDOW_HOURS, async (file) => {
        await backfillOpenMetrics(file, dataDir, WINDOW_HOURS);
        rmSync(file); // the block holds it now; the next window's file takes its place on disk
      })
    );
    const blocks = blocksWithoutOverlap(dataDir);
    log(
      `series: ${stats.files} windows of ${WINDOW_HOURS} h into ${blocks.length} blocks, largest file ` +
        `${(stats.peakFileBytes / 1e6).toFixed(0)} MB; computing ${stats.generateSeconds.toFixed(1)} s, writing ` +
        `${stats.writeSeconds.toFixed(1)} s, backfilling ${stats.consumeSeconds.toFixed(1)} s`
    );
    await step('start prometheus', () => prometheus.start());
    const passes = ruleFiles.length ? rulePasses(recordingRules(RULES_FILE)) : [];
    for (const [i, pass] of passes.entries()) {
      await step(`backfill recording rules, pass ${i + 1}`, () =>
        backfillRulePass(pass, prometheus.url, dataDir, work)
      );
      await step('restart prometheus', async () => {
        await prometheus.stop();
        await prometheus.start();
      });
    }
    return { prometheus, timings, series: stats.series, samples: stats.samples, seriesBlocks: blocks, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

export interface GrafanaRange {
  rateInterval: string; // $__rate_interval
  range: string; // $__range
  interval: string; // $__interval
}

// What Grafana does before it sends a query: replace its built-in variables. Library entries default to them.
export function interpolate(expr: string, vars: GrafanaRange): string {
  return expr
    .replace(/\$__rate_interval/g, vars.rateInterval)
    .replace(/\$__range/g, vars.range)
    .replace(/\$__interval/g, vars.interval);
}
