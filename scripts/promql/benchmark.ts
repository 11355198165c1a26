// Evaluates every query library entry as a 24 h range query over the scenario on a real Prometheus, the way a
// dashboard panel would, and prints p50 and max per query. Not part of CI: `npm run bench:promql`.
import { buildQuery, QUERIES, type QueryParams } from '../../src/queries';
import { interpolate, startScenario } from './scenario/server';
import { DATASET_END, DATASET_START } from './scenario/timeline';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STEP = 60; // Grafana's $__interval for 24 h on a full-width panel
const SLOW_MS = 200;
// Grafana's variables for a 24 h dashboard at a 60 s step with a 30 s scrape interval.
const VARIABLES = { rateInterval: '2m', range: '1d', interval: '1m' };

interface Row {
  query: string;
  p50: number;
  max: number;
  series: number;
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * p)];

async function main(): Promise<void> {
  const scenario = await startScenario((line) => console.error(`setup: ${line}`));
  try {
    const rows: Row[] = [];
    for (const q of QUERIES) {
      const variants: Array<[string, QueryParams]> = [[q.id, {}]];
      if (q.params.includes('namespace')) {
        variants.push([`${q.id} {namespace}`, { namespace: 'shop' }]);
      }
      for (const [name, params] of variants) {
        const expr = interpolate(buildQuery(q.id, params), VARIABLES);
        const times: number[] = [];
        let series = 0;
        for (let i = 0; i < RUNS; i++) {
          const r = await scenario.prometheus.range(expr, DATASET_START, DATASET_END, STEP);
          times.push(r.evalMs ?? r.wallMs);
          series = r.series;
        }
        rows.push({ query: name, p50: percentile(times, 0.5), max: Math.max(...times), series });
      }
    }
    rows.sort((a, b) => b.p50 - a.p50);
    console.log(
      `${rows.length} queries, ${RUNS} runs each, 24 h at a ${STEP} s step, ${scenario.series} series in the dataset`
    );
    console.log("times are Prometheus's own evaluation time (stats.timings.evalTotalTime), in ms");
    console.log(`${'query'.padEnd(56)} ${'p50'.padStart(9)} ${'max'.padStart(9)} ${'series'.padStart(7)}`);
    for (const r of rows) {
      const flag = r.max > SLOW_MS ? `  SLOW (> ${SLOW_MS} ms): needs a recording rule` : '';
      console.log(
        `${r.query.padEnd(56)} ${r.p50.toFixed(1).padStart(9)} ${r.max.toFixed(1).padStart(9)} ${String(r.series).padStart(7)}${flag}`
      );
    }
    const slow = rows.filter((r) => r.max > SLOW_MS);
    console.log(
      slow.length
        ? `${slow.length} queries over ${SLOW_MS} ms: ${slow.map((r) => r.query).join(', ')}`
        : `no query over ${SLOW_MS} ms`
    );
  } finally {
    await scenario.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
