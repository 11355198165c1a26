// A drilldown link reads the namespace, pod or rule from labels of the clicked series or row: those labels must be
// ones the query's result really has. Checked against promtool's own results for the library cases, for every
// panel with a drilldown on the app's pages (each Falco source) and on the generated dashboards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { drilldownDataLink } from '../../src/dashboards/links';
import { dashboardQueryParams } from '../../src/dashboards/queryParams';
import { PAGE_SPECS } from '../../src/pages/specs';
import { getQuery, legendOf, requiredExporters, type FalcoMetricsSource, type QueryParams } from '../../src/queries';
import { DRILLDOWN_SPECS } from '../../src/scenes/drilldowns/specs';
import { subjectLabels } from '../../src/scenes/drilldownLinks';
import type { DrilldownKind, PageSpec, PanelSpec } from '../../src/scenes/spec';
import { QUERY_CASES } from './cases';

const SUBJECT_OF: Record<DrilldownKind, Array<'namespace' | 'pod' | 'rule'>> = {
  namespace: ['namespace'],
  pod: ['namespace', 'pod'],
  rule: ['rule'],
};
const PAGES: PageSpec[] = [...PAGE_SPECS, ...Object.values(DRILLDOWN_SPECS)];
const PANELS = PAGES.flatMap((page) =>
  page.rows.flatMap((row) => row.panels.filter((p) => p.drilldown).map((panel) => ({ page, panel })))
);

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

// The labels of promtool's results for this entry read from the same exporters (so in the same label shape).
function resultLabelSets(id: string, params: QueryParams): string[][] {
  const exporters = requiredExporters(id, params);
  return QUERY_CASES.filter((c) => c.id === id && sameSet(requiredExporters(id, c.params), exporters)).flatMap((c) =>
    c.expected.map((e) => Object.keys(e.labels))
  );
}

function sources(panel: PanelSpec): Array<FalcoMetricsSource | undefined> {
  return getQuery(panel.queryId).params.includes('falcoSource') ? ['native', 'falcosidekick', 'legacy'] : [undefined];
}

function assertCarried(where: string, id: string, params: QueryParams, labels: string[]): boolean {
  const results = resultLabelSets(id, params);
  for (const keys of results) {
    for (const label of labels) {
      assert.ok(keys.includes(label), `${where}: links read "${label}" but ${id}'s series have ${keys.join(', ')}`);
    }
  }
  return results.length > 0;
}

describe('drilldown links read labels the series have', () => {
  let checked = 0;

  for (const { page, panel } of PANELS) {
    for (const falcoSource of sources(panel)) {
      const where = `${page.id} / ${panel.title}${falcoSource ? ` (${falcoSource})` : ''}`;
      const base = dashboardQueryParams(getQuery(panel.queryId), panel, page.variables);
      const params = falcoSource ? { ...base, falcoSource } : base;

      it(`app: ${where}`, () => {
        const labels = subjectLabels(requiredExporters(panel.queryId, params), legendOf(panel.queryId, params));
        const needed = SUBJECT_OF[panel.drilldown!].map((part) => labels[part]);
        assert.ok(
          needed.every((l) => l !== undefined),
          `${where}: no label for the ${panel.drilldown} drilldown`
        );
        checked += assertCarried(where, panel.queryId, params, needed as string[]) ? 1 : 0;
      });
    }

    it(`dashboard: ${page.id} / ${panel.title}`, () => {
      const entry = getQuery(panel.queryId);
      const params = dashboardQueryParams(entry, panel, page.variables);
      const target = { id: panel.drilldown!, title: panel.drilldown!, variables: page.variables };
      const visualization = panel.visualization ?? entry.visualization;
      // As the dashboard builder does: the legend names the labels the query keeps.
      const legend = legendOf(panel.queryId, params);
      const link = drilldownDataLink(
        target,
        panel.drilldown!,
        entry.exporters(params),
        visualization,
        page.variables,
        legend
      );
      const url = link?.build().url ?? '';
      const labels = [...url.matchAll(/\$\{__(?:data\.fields|field\.labels)\.([A-Za-z_][A-Za-z0-9_]*)/g)].map(
        (m) => m[1]
      );
      assert.equal(labels.length, SUBJECT_OF[panel.drilldown!].length, `${page.id} / ${panel.title}: ${url}`);
      assertCarried(`dashboard ${page.id} / ${panel.title}`, panel.queryId, params, labels);
    });
  }

  it('compared most panels with a promtool result (the checks above are not empty)', () => {
    assert.ok(checked >= PANELS.length / 2, `only ${checked} of ${PANELS.length} panels had a promtool result`);
  });

  it('links the risk tables by namespace and pod, the labels the risk recording rule writes', () => {
    for (const id of ['risk.pod_score', 'risk.pod_score.top']) {
      assert.deepEqual(subjectLabels(requiredExporters(id), legendOf(id)), { namespace: 'namespace', pod: 'pod' });
      assert.ok(assertCarried(id, id, {}, ['namespace', 'pod']), `${id} has a promtool result`);
    }
  });
});
