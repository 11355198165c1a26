// The scenario served by a real Prometheus: generate, backfill (series, then recording rules pass by pass), start.
// Used by the scenario tests and the benchmark; `stop()` kills the server and removes every file it made.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { SCALE_ENV } from './scale';

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

// The scenario's series blocks depend only on the scenario's code and scale: a cache dir (the benchmark's
// BENCH_SERIES_CACHE) keeps them between runs, so measuring a new query library does not regenerate 50,000 series.
// Files that serve the blocks rather than make them.
const SERVING = ['server.ts', 'backfill.ts', 'prometheus.ts'];

export function seriesCacheKey(): string {
  const hash = createHash('sha256').update(process.env[SCALE_ENV] ?? 'fixed');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !SERVING.includes(entry.name)) {
        hash.update(entry.name).update(readFileSync(path));
      }
    }
  };
  walk(__dirname);
  return hash.digest('hex').slice(0, 16);
}

interface SeriesStats {
  series: number;
  samples: number;
}

export async function startScenario(
  log: (line: string) => void = () => {},
  seriesCache?: string
): Promise<ScenarioServer> {
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
    const cached = seriesCache ? join(seriesCache, seriesCacheKey()) : undefined;
    let stats: SeriesStats;
    if (cached && existsSync(join(cached, 'stats.json'))) {
      stats = await step('link cached series blocks', () => {
        for (const block of readdirSync(cached).filter((b) => b !== 'stats.json')) {
          execFileSync('cp', ['-al', join(cached, block), join(dataDir, block)]);
        }
        return JSON.parse(readFileSync(join(cached, 'stats.json'), 'utf8')) as SeriesStats;
      });
    } else {
      const generated = await step('generate and backfill series', () =>
        generateScenarioInWindows(work, WINDOW_HOURS, async (file) => {
          await backfillOpenMetrics(file, dataDir, WINDOW_HOURS);
          rmSync(file); // the block holds it now; the next window's file takes its place on disk
        })
      );
      log(
        `series: ${generated.files} windows of ${WINDOW_HOURS} h, largest file ` +
          `${(generated.peakFileBytes / 1e6).toFixed(0)} MB; computing ${generated.generateSeconds.toFixed(1)} s, writing ` +
          `${generated.writeSeconds.toFixed(1)} s, backfilling ${generated.consumeSeconds.toFixed(1)} s`
      );
      stats = { series: generated.series, samples: generated.samples };
      if (cached) {
        mkdirSync(cached, { recursive: true });
        for (const block of readdirSync(dataDir)) {
          execFileSync('cp', ['-al', join(dataDir, block), join(cached, block)]);
        }
        writeFileSync(join(cached, 'stats.json'), JSON.stringify(stats));
      }
    }
    const blocks = blocksWithoutOverlap(dataDir);
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
