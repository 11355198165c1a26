// Every query library entry evaluated by promtool on series in its exporter's real label shape, with hostile
// parameters, so the escaping is proven by Prometheus's own parser and engine.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { join, resolve } from 'node:path';

import { buildQuery, buildRawQuery, getQuery, QUERIES } from '../../src/queries';
import { PLAIN_RULES_FILE } from '../rules/ruleGroups';
import { QUERY_CASES } from './cases';
import type { QueryCase } from './cases/shared';
import { runPromtoolTest } from './promtool';

const LABEL_PARAMS = ['cluster', 'namespace', 'pod', 'node', 'rule'] as const;

// As Grafana does before it sends a query: $__range becomes the dashboard's range, $__rate_interval the rate's window
// (promtool knows no variables).
const withRange = (c: QueryCase, expr: string) => {
  const ranged = c.range === undefined ? expr : expr.replace(/\$__range/g, c.range);
  return c.rateInterval === undefined ? ranged : ranged.replace(/\$__rate_interval/g, c.rateInterval);
};
// The raw form: what a panel runs while the recording rules are not installed, and what every case's numbers are.
const caseExpr = (c: QueryCase) => withRange(c, buildRawQuery(c.id, c.params));

// A per-pod record read without topN keeps its metric name (topRecordedPods: reading it bare is what makes it fast);
// the raw form's sum has none. Grafana draws both by the legend's labels, so the comparison leaves the name out, on
// both sides.
const withoutName = (expr: string) => `label_replace(${expr}, "__name__", "", "", "")`;

const RULES = join(resolve(__dirname, '../..'), PLAIN_RULES_FILE);
// promtool runs the rule file's recording rules from minute 0 at the test's 1m interval, on the minute like the input
// samples; Prometheus 2's range selectors include their left end, so a window ending on the minute would also take
// the record of the minute before it. Real rule groups run at a fixed offset into the minute (and Prometheus 3's ranges
// exclude the left end): 30 s past the minute stands for that. Event counts do not change between samples.
const halfMinuteAfter = (evalTime: string) => `${evalTime} 30s`.replace(/^(\d+)m 30s$/, '$1m30s');

describe('query library entries under promtool', () => {
  for (const c of QUERY_CASES) {
    it(`${c.id}: ${c.name}`, () => {
      runPromtoolTest({
        series: c.series,
        exprTests: [{ expr: caseExpr(c), evalTime: c.evalTime ?? '10m', expected: c.expected }],
      });
    });
  }
});

describe('entries that read a recording rule agree with their raw form under promtool', () => {
  for (const c of QUERY_CASES.filter((x) => getQuery(x.id).fallback)) {
    it(`${c.id}: ${c.name}`, () => {
      runPromtoolTest(
        {
          series: c.series,
          exprTests: [
            {
              expr: withoutName(withRange(c, buildQuery(c.id, c.params))),
              evalTime: halfMinuteAfter(c.evalTime ?? '10m'),
              expected: (c.recordedExpected ?? c.expected).map(({ labels: { __name__, ...labels }, value }) => ({
                labels,
                value,
              })),
            },
          ],
        },
        [RULES]
      );
    });
  }
});

describe('promtool coverage of the library', () => {
  it('has a case for every entry', () => {
    const covered = new Set(QUERY_CASES.map((c) => c.id));
    assert.deepEqual(
      QUERIES.map((q) => q.id).filter((id) => !covered.has(id)),
      []
    );
  });

  it('fills a label parameter in at least one case of every entry that takes one (besides cluster)', () => {
    const missing = QUERIES.filter((q) => {
      const takes = q.params.filter((p) => (LABEL_PARAMS as readonly string[]).includes(p) && p !== 'cluster');
      if (takes.length === 0) {
        return false;
      }
      return !QUERY_CASES.some((c) => c.id === q.id && takes.some((p) => c.params[p] !== undefined));
    }).map((q) => q.id);
    assert.deepEqual(missing, []);
  });

  it('fails a case whose expected output is wrong (the harness can fail)', () => {
    const c = QUERY_CASES.find((x) => x.id === 'workload.restarts')!;
    assert.throws(
      () =>
        runPromtoolTest({
          series: c.series,
          exprTests: [{ expr: buildQuery(c.id, c.params), evalTime: '10m', expected: [{ labels: {}, value: 1 }] }],
        }),
      /promtool test rules case.yaml failed/
    );
  });
});
