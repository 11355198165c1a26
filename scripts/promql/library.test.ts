// Every query library entry evaluated by promtool on series in its exporter's real label shape, with hostile
// parameters, so the escaping is proven by Prometheus's own parser and engine.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildQuery, QUERIES } from '../../src/queries';
import { QUERY_CASES } from './cases';
import type { QueryCase } from './cases/shared';
import { runPromtoolTest } from './promtool';

const LABEL_PARAMS = ['cluster', 'namespace', 'pod', 'node', 'rule'] as const;

// As Grafana does before it sends a query: $__range becomes the dashboard's range (promtool knows no variables).
const caseExpr = (c: QueryCase) => {
  const expr = buildQuery(c.id, c.params);
  return c.range === undefined ? expr : expr.replace(/\$__range/g, c.range);
};

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
