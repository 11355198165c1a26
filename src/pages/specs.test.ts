import { ROUTES } from '../constants';
import { getQuery } from '../queries';
import { DRILLDOWN_SPECS } from '../scenes/drilldowns/specs';
import type { PageSpec } from '../scenes/spec';
import { PAGE_SPECS } from './specs';

const ALL_SPECS: PageSpec[] = [...PAGE_SPECS, ...Object.values(DRILLDOWN_SPECS)];
const panelsOf = (spec: PageSpec) => spec.rows.flatMap((row) => row.panels);

test('the pages come in nav order, each at its route', () => {
  expect(PAGE_SPECS.map((s) => s.id)).toEqual([
    ROUTES.Overview,
    ROUTES.Runtime,
    ROUTES.Resources,
    ROUTES.Network,
    ROUTES.Posture,
  ]);
});

test.each(ALL_SPECS.map((s) => [s.id, s] as const))(
  'every panel of %s names a library entry and fits the grid',
  (_, spec) => {
    for (const panel of panelsOf(spec)) {
      const entry = getQuery(panel.queryId);
      expect(panel.width ?? 12).toBeGreaterThanOrEqual(1);
      expect(panel.width ?? 12).toBeLessThanOrEqual(24);
      for (const name of Object.keys(panel.params ?? {})) {
        expect([panel.queryId, entry.params]).toEqual([panel.queryId, expect.arrayContaining([name])]);
      }
    }
  }
);

test.each(ALL_SPECS.map((s) => [s.id, s] as const))('every page link of %s goes to a page', (_, spec) => {
  const pages = PAGE_SPECS.map((s) => s.id);
  for (const panel of panelsOf(spec).filter((p) => p.pageLink)) {
    expect(pages).toContain(panel.pageLink);
  }
});

test('the pod and namespace drilldowns are reachable from a table on Overview, the rule drilldown from Runtime', () => {
  const drilldownsOf = (id: string) => panelsOf(PAGE_SPECS.find((s) => s.id === id)!).map((p) => p.drilldown);
  expect(drilldownsOf(ROUTES.Overview)).toEqual(expect.arrayContaining(['pod', 'namespace', 'rule']));
  expect(drilldownsOf(ROUTES.Runtime)).toContain('rule');
});

test('a drilldown spec has no picker for the subject its URL path fixes, only the page variables', () => {
  expect(DRILLDOWN_SPECS.pod.variables).toEqual(expect.arrayContaining(['namespace', 'pod']));
  expect(DRILLDOWN_SPECS.namespace.variables).not.toContain('pod');
  expect(DRILLDOWN_SPECS.rule.variables).toContain('rule');
});

test('every drilldown panel filters by the drilldown subject', () => {
  const subject = { pod: ['namespace', 'pod'], namespace: ['namespace'], rule: ['rule'] } as const;
  for (const [kind, spec] of Object.entries(DRILLDOWN_SPECS) as Array<[keyof typeof subject, PageSpec]>) {
    for (const panel of panelsOf(spec)) {
      const missing = subject[kind].filter((name) => !getQuery(panel.queryId).params.includes(name));
      expect([kind, panel.queryId, missing]).toEqual([kind, panel.queryId, []]);
    }
  }
});
