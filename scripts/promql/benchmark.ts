// Evaluates every query library entry over a 24 h dashboard on the scenario's real Prometheus the way its panel
// runs it (src/scenes/vizPanel.ts: tables, bar gauges and gauges are one instant query at the end of the range,
// time series and stats a range query at a 60 s step), and prints p50 and max per query. Not part of CI:
// `npm run bench:promql`.
import {
  buildQuery,
  QUERIES,
  type QueryEntry,
  type QueryParams,
  RECORDING_RULES,
  type Visualization,
} from '../../src/queries';
import { seriesTopN } from '../../src/scenes/fieldDisplay';
import { interpolate, type ScenarioServer, startScenario } from './scenario/server';
import { DATASET_END, DATASET_START } from './scenario/timeline';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STEP = 60; // Grafana's $__interval for 24 h on a full-width panel
const SLOW_MS = 200;
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

async function measure(scenario: ScenarioServer, name: string, expr: string, instant: boolean): Promise<Row> {
  const times: number[] = [];
  let series = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = instant
      ? await scenario.prometheus.instantStats(expr, DATASET_END)
      : await scenario.prometheus.range(expr, DATASET_START, DATASET_END, STEP);
    times.push(r.evalMs ?? r.wallMs);
    series = r.series;
  }
  return { query: name, p50: percentile(times, 0.5), max: Math.max(...times), series };
}

function printTable(title: string, rows: Row[], flagSlow: boolean): void {
  console.log(`\n${title}`);
  console.log(`${'query'.padEnd(56)} ${'p50'.padStart(9)} ${'max'.padStart(9)} ${'series'.padStart(7)}`);
  for (const r of [...rows].sort((a, b) => b.p50 - a.p50)) {
    const flag = flagSlow && r.max > SLOW_MS ? `  SLOW (> ${SLOW_MS} ms): needs a recording rule` : '';
    console.log(
      `${r.query.padEnd(56)} ${r.p50.toFixed(1).padStart(9)} ${r.max.toFixed(1).padStart(9)} ${String(r.series).padStart(7)}${flag}`
    );
  }
}

async function main(): Promise<void> {
  const scenario = await startScenario((line) => console.error(`setup: ${line}`));
  try {
    const panels: Row[] = [];
    const definitions: Row[] = [];
    for (const q of QUERIES.filter((x) => !ONLY || ONLY.test(x.id))) {
      for (const [name, params] of variants(q)) {
        const instant = !ruleOf(q) && INSTANT.includes(q.visualization);
        const row = await measure(
          scenario,
          instant ? `${name} (instant)` : name,
          interpolate(buildQuery(q.id, params), VARIABLES),
          instant
        );
        (ruleOf(q) ? definitions : panels).push(row);
      }
    }
    console.log(
      `${panels.length + definitions.length} queries, ${RUNS} runs each, 24 h at a ${STEP} s step (tables: one instant query), ` +
        `${scenario.series} series in the dataset`
    );
    console.log("times are Prometheus's own evaluation time (stats.timings.evalTotalTime), in ms");
    printTable(`Panel and library queries (${panels.length}): none may exceed ${SLOW_MS} ms`, panels, true);
    printTable(
      `Recording rule definitions (${definitions.length}), with the rule's parameters: the rule engine evaluates ` +
        'them once per interval, no dashboard runs them; for reference',
      definitions,
      false
    );
    const slow = panels.filter((r) => r.max > SLOW_MS);
    console.log(
      slow.length
        ? `\n${slow.length} panel queries over ${SLOW_MS} ms: ${slow.map((r) => r.query).join(', ')}`
        : `\nno panel query over ${SLOW_MS} ms`
    );
  } finally {
    await scenario.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
