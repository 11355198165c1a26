// The scenario served by a real Prometheus: generate, backfill (series, then recording rules pass by pass), start.
// Used by the scenario tests and the benchmark; `stop()` kills the server and removes every file it made.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { backfillOpenMetrics, backfillRulePass, recordingRules, rulePasses } from './backfill';
import { generateScenario } from './generate';
import { PrometheusServer } from './prometheus';

export const RULES_FILE = resolve(__dirname, '../../../rules/prometheus/containersec.rules.yaml');

export interface ScenarioServer {
  prometheus: PrometheusServer;
  timings: Record<string, number>; // seconds per setup step
  series: number;
  samples: number;
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
    const file = join(work, 'scenario.om');
    const stats = await step('generate', () => generateScenario(file));
    await step('backfill series', () => backfillOpenMetrics(file, dataDir));
    rmSync(file); // gigabytes; the blocks hold it now
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
    return { prometheus, timings, series: stats.series, samples: stats.samples, stop };
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
