// Evaluates every query library entry over a 24 h dashboard on the scenario's real Prometheus the way its panel
// runs it (src/scenes/vizPanel.ts: tables, bar gauges and gauges are one instant query at the end of the range,
// time series and stats a range query at a 60 s step), and prints p50 and max per query, at each cluster size of
// SIZES in one run (a child process per size: the scenario's cluster is fixed when its module loads). Not part of CI:
// `npm run bench:promql`; BENCH_SIZES=fixed (or fleet) measures one size; BENCH_SERIES_CACHE=<dir> keeps each size's
// series blocks for the next run (they depend on the scenario's code only, not on the query library).
import {
  buildQuery,
  QUERIES,
  type QueryEntry,
  type QueryParams,
  RECORDING_RULES,
  type Visualization,
} from '../../src/queries';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { seriesTopN } from '../../src/scenes/fieldDisplay';
import { SCALE_ENV } from './scenario/scale';
import { interpolate, type ScenarioServer, startScenario } from './scenario/server';
import { DATASET_END, DATASET_START } from './scenario/timeline';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STEP = 60; // Grafana's $__interval for 24 h on a full-width panel
const SLOW_MS = 200; // p50 budget of a panel
const MAX_MS = 300; // its budget for the slowest run
const RULE_MS = 1000; // a recording rule runs every interval: its definition must take less than this
// The fixed cluster (3 nodes, ~5,400 series) and a fleet of about 50,000 series (40 nodes, 14 application pods of two
// containers on each, every node with its DaemonSet pods).
const SIZES: Record<string, string | undefined> = {
  fixed: undefined,
  fleet: 'nodes=40,podsPerNode=14,containers=2',
};
// Grafana's variables for a 24 h dashboard at a 60 s step with a 30 s scrape interval.
const VARIABLES = { rateInterval: '2m', range: '1d', interval: '1m' };
// As src/scenes/vizPanel.ts INSTANT: one value per series needs only the range's end.
const INSTANT: Visualization[] = ['table', 'bargauge', 'gauge'];

interface Row {
  query: string;
  p50: number;
  max: number;
  series: number;
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * p)];

// A `.definition` entry is a recording rule's expression: the rule engine runs it once per interval with the
// rule's own parameters; no panel runs it.
const ruleOf = (q: QueryEntry) =>
  q.id.endsWith('.definition') ? RECORDING_RULES.find((r) => r.queryId === q.id) : undefined;

// A series panel of an entry that takes topN runs it with the panels' topN (src/scenes/fieldDisplay.ts seriesTopN);
// "{all series}" measures the same query without it, so the rank's cost can be read off in one run.
function variants(q: QueryEntry): Array<[string, QueryParams]> {
  const rule = ruleOf(q)?.params;
  const topN = rule ? undefined : seriesTopN(q, {});
  const base: QueryParams = rule ?? (topN === undefined ? {} : { topN });
  const list: Array<[string, QueryParams]> = [[q.id, base]];
  if (topN !== undefined) {
    list.push([`${q.id} {all series}`, {}]);
  }
  if (q.params.includes('namespace')) {
    list.push([`${q.id} {namespace}`, { ...base, namespace: 'shop' }]);
  }
  return list;
}

// BENCH_ONLY=<regex> measures only the queries whose id matches (a before/after of a few queries).
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;

// How a query is timed: a panel's range query over the day, a table's instant query at its end, or a recording rule's
// one evaluation, as the rule engine runs it every interval (RecordingRule.Eval in rules/recording.go: `query(ctx, rule.vector.String(), ts)`, an instant query), at RUNS times
// spread over the day so a quiet end of the day does not flatter it.
type Mode = 'range' | 'instant' | 'rule';

async function measure(scenario: ScenarioServer, name: string, expr: string, mode: Mode): Promise<Row> {
  const times: number[] = [];
  let series = 0;
  for (let i = 0; i < RUNS; i++) {
    const at = DATASET_END - Math.floor(((DATASET_END - DATASET_START) * i) / RUNS);
    const r =
      mode === 'range'
        ? await scenario.prometheus.range(expr, DATASET_START, DATASET_END, STEP)
        : await scenario.prometheus.instantStats(expr, mode === 'rule' ? at : DATASET_END);
    times.push(r.evalMs ?? r.wallMs);
    series = r.series;
  }
  return { query: name, p50: percentile(times, 0.5), max: Math.max(...times), series };
}

function printTable(title: string, rows: Row[], flagSlow: boolean): void {
  console.log(`\n${title}`);
  console.log(`${'query'.padEnd(56)} ${'p50'.padStart(9)} ${'max'.padStart(9)} ${'series'.padStart(7)}`);
  for (const r of [...rows].sort((a, b) => b.p50 - a.p50)) {
    const flag =
      flagSlow && (r.p50 > SLOW_MS || r.max > MAX_MS) ? `  SLOW (p50 > ${SLOW_MS} or max > ${MAX_MS} ms)` : '';
    console.log(
      `${r.query.padEnd(56)} ${r.p50.toFixed(1).padStart(9)} ${r.max.toFixed(1).padStart(9)} ${String(r.series).padStart(7)}${flag}`
    );
  }
}

interface SizeResult {
  size: string;
  series: number;
  panels: Row[];
  definitions: Row[];
  load: { before: number[]; after: number[] };
}

const load = () => loadavg().map((x) => Number(x.toFixed(2)));

// One size, in this process: the scenario's cluster is the one CONTAINERSEC_SCENARIO_SCALE gave the module.
async function measureSize(size: string): Promise<SizeResult> {
  const before = load();
  const scenario = await startScenario(
    (line) => console.error(`setup (${size}): ${line}`),
    process.env.BENCH_SERIES_CACHE
  );
  try {
    const panels: Row[] = [];
    const definitions: Row[] = [];
    for (const q of QUERIES.filter((x) => !ONLY || ONLY.test(x.id))) {
      for (const [name, params] of variants(q)) {
        const instant = !ruleOf(q) && (q.instant || INSTANT.includes(q.visualization));
        const row = await measure(
          scenario,
          instant ? `${name} (instant)` : name,
          interpolate(buildQuery(q.id, params), VARIABLES),
          ruleOf(q) ? 'rule' : instant ? 'instant' : 'range'
        );
        (ruleOf(q) ? definitions : panels).push(row);
      }
    }
    return { size, series: scenario.series, panels, definitions, load: { before, after: load() } };
  } finally {
    await scenario.stop();
  }
}

function printSize(r: SizeResult): void {
  console.log(
    `\n== ${r.size}: ${r.series} series; ${r.panels.length + r.definitions.length} queries, ${RUNS} runs each, 24 h at a ` +
      `${STEP} s step (tables: one instant query); load average ${r.load.before.join(' ')} before, ${r.load.after.join(' ')} after`
  );
  console.log("times are Prometheus's own evaluation time (stats.timings.evalTotalTime), in ms");
  printTable(
    `Panel and library queries (${r.panels.length}): p50 <= ${SLOW_MS} ms, max <= ${MAX_MS} ms`,
    r.panels,
    true
  );
  printTable(
    `Recording rule definitions (${r.definitions.length}), with the rule's parameters: one evaluation as the rule ` +
      `engine runs it every interval (an instant query), at ${RUNS} times over the day; each at most ${RULE_MS} ms`,
    r.definitions,
    false
  );
  const slow = r.panels.filter((x) => x.p50 > SLOW_MS || x.max > MAX_MS);
  const slowRules = r.definitions.filter((x) => x.max > RULE_MS);
  console.log(
    slow.length
      ? `${r.size}: ${slow.length} panel queries over budget: ${slow.map((x) => x.query).join(', ')}`
      : `${r.size}: every panel query of the ${r.panels.length} measured within budget`
  );
  console.log(
    slowRules.length
      ? `${r.size}: ${slowRules.length} rule definitions over ${RULE_MS} ms: ${slowRules.map((x) => x.query).join(', ')}`
      : `${r.size}: every rule definition of the ${r.definitions.length} measured under ${RULE_MS} ms`
  );
}

// Runs this script again for one size with the scale in its environment, and reads back what it measured.
async function childSize(size: string, out: string): Promise<SizeResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_CHILD: out, BENCH_SIZES: size };
  delete env[SCALE_ENV];
  if (SIZES[size]) {
    env[SCALE_ENV] = SIZES[size];
  }
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]], { env, stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) {
    throw new Error(`the ${size} benchmark exited with ${code}`);
  }
  return JSON.parse(readFileSync(out, 'utf8')) as SizeResult;
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_SIZES ?? Object.keys(SIZES).join(',')).split(',');
  for (const size of sizes) {
    if (!(size in SIZES)) {
      throw new Error(`unknown size "${size}": use ${Object.keys(SIZES).join(', ')}`);
    }
  }
  if (process.env.BENCH_CHILD) {
    writeFileSync(process.env.BENCH_CHILD, JSON.stringify(await measureSize(sizes[0])));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'containersec-bench-'));
  try {
    const results: SizeResult[] = [];
    for (const size of sizes) {
      results.push(await childSize(size, join(dir, `${size}.json`)));
      printSize(results[results.length - 1]);
    }
    console.log('\n== summary');
    for (const r of results) {
      const worst = [...r.panels].sort((a, b) => b.p50 - a.p50)[0];
      const worstRule = [...r.definitions].sort((a, b) => b.max - a.max)[0];
      console.log(
        `${r.size} (${r.series} series): ` +
          (worst ? `slowest panel ${worst.query} p50 ${worst.p50.toFixed(1)} ms; ` : 'no panel measured; ') +
          (worstRule ? `slowest rule ${worstRule.query} max ${worstRule.max.toFixed(1)} ms; ` : 'no rule measured; ') +
          `load ${r.load.before.join(' ')} -> ${r.load.after.join(' ')}`
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
