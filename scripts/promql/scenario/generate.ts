// The scenario as OpenMetrics text: one window at a time for backfilling (a whole day is gigabytes of text), or the
// whole day as one file: `npx tsx scripts/promql/scenario/generate.ts <file>`.
import { join } from 'node:path';
import { apiserverFamilies } from './exporters/apiserver';
import { cadvisorFamilies } from './exporters/cadvisor';
import { falcoFamilies } from './exporters/falco';
import { falcosidekickFamilies } from './exporters/falcosidekick';
import { kubeStateMetricsFamilies } from './exporters/kubeStateMetrics';
import { nodeExporterFamilies } from './exporters/nodeExporter';
import { policyEngineFamilies } from './exporters/policyEngines';
import { upFamily } from './exporters/up';
import { Family, writeOpenMetrics, WriteStats } from './openmetrics';
import { DATASET_END, DATASET_START, TimeWindow } from './timeline';

export function scenarioFamilies(): Family[] {
  const families = [
    upFamily(),
    ...falcoFamilies(),
    ...falcosidekickFamilies(),
    ...cadvisorFamilies(),
    ...kubeStateMetricsFamilies(),
    ...nodeExporterFamilies(),
    ...apiserverFamilies(),
    ...policyEngineFamilies(),
  ];
  const names = new Set<string>();
  for (const f of families) {
    // OpenMetrics allows each family once: a second block with the same name is a parse error in promtool.
    if (names.has(f.name)) {
      throw new Error(`metric family ${f.name} is generated twice`);
    }
    names.add(f.name);
  }
  return families;
}

export function generateScenario(path: string): WriteStats {
  return writeOpenMetrics(path, scenarioFamilies());
}

export interface WindowedStats {
  series: number;
  samples: number;
  files: number;
  peakFileBytes: number;
  generateSeconds: number; // computing every series once
  writeSeconds: number; // formatting and writing the window files
  consumeSeconds: number; // what the caller did with each file (backfill)
}

// The day cut into windows of `hours`, back to back.
export function scenarioWindows(hours: number): TimeWindow[] {
  const windows: TimeWindow[] = [];
  for (let start = DATASET_START; start < DATASET_END; start += hours * 3600) {
    windows.push({ start, end: Math.min(start + hours * 3600, DATASET_END) });
  }
  return windows;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

// Every series is computed once and kept in memory (a few hundred MB of Float64Arrays); each window is then written
// to its own file and handed to `consume`, which must be done with it (and delete it) before the next is written.
export async function generateScenarioInWindows(
  dir: string,
  hours: number,
  consume: (file: string, window: TimeWindow) => Promise<void>,
  families: () => Family[] = scenarioFamilies
): Promise<WindowedStats> {
  let started = performance.now();
  const computed = families().map((f) => ({ ...f, series: [...f.series] }));
  const stats: WindowedStats = {
    series: 0,
    samples: 0,
    files: 0,
    peakFileBytes: 0,
    generateSeconds: seconds(started),
    writeSeconds: 0,
    consumeSeconds: 0,
  };
  const written = new Set<string>();
  for (const window of scenarioWindows(hours)) {
    const file = join(dir, `scenario-${window.start}.om`);
    started = performance.now();
    const w = writeOpenMetrics(file, computed, { window, written });
    stats.writeSeconds += seconds(started);
    stats.samples += w.samples;
    stats.files++;
    stats.peakFileBytes = Math.max(stats.peakFileBytes, w.bytes);
    started = performance.now();
    await consume(file, window);
    stats.consumeSeconds += seconds(started);
  }
  stats.series = written.size;
  // A sample outside the day would be in no window: refuse to serve a dataset that silently lost it.
  const all = computed.reduce(
    (n, f) => n + f.series.reduce((m, s) => m + s.values.reduce((k, v) => k + (Number.isNaN(v) ? 0 : 1), 0), 0),
    0
  );
  if (all !== stats.samples) {
    throw new Error(`the windows hold ${stats.samples} samples but the scenario has ${all}: some lie outside the day`);
  }
  return stats;
}

if (require.main === module) {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: generate.ts <output.om>');
    process.exit(2);
  }
  const started = Date.now();
  const stats = generateScenario(path);
  console.log(
    `${stats.series} series, ${stats.samples} samples, ${(stats.bytes / 1e6).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`
  );
}
