import { buildQuery, getQuery, legendOf } from '../queries';
import type { PageSpec } from '../scenes/spec';
import { buildDashboard, LinkTargets } from './dashboard';
import { DASHBOARD_PAGES } from './pages';
import { dashboardQueryParams } from './queryParams';
import { sourceLabelledTitle } from '../scenes/sourceTitle';
import { SERIES_TOP_N } from '../scenes/fieldDisplay';

const targetsOf = (pages: PageSpec[]): LinkTargets =>
  Object.fromEntries(pages.map((p) => [p.id, { id: p.id, title: p.title, variables: p.variables }]));
const ALL_TARGETS = targetsOf(DASHBOARD_PAGES);

const panelsOf = (d: any) => d.panels.filter((p: any) => p.type !== 'row');
const byTitle = (d: any, title: string) => panelsOf(d).find((p: any) => p.title === title);

const resourcesPage: PageSpec = {
  id: 'resources-test',
  title: 'Resources',
  description: 'test page',
  variables: ['datasource', 'cluster', 'namespace'],
  rows: [
    {
      title: 'CPU',
      panels: [
        { title: 'CPU by pod', queryId: 'workload.cpu.by_pod', width: 16, height: 7, drilldown: 'pod' },
        { title: 'Top CPU', queryId: 'workload.cpu.top', params: { topN: 5 }, visualization: 'table', width: 8 },
      ],
    },
    {
      title: 'Falco',
      panels: [{ title: 'Critical', queryId: 'falco.events.critical_and_above', pageLink: 'runtime' }],
    },
  ],
};

describe('a dashboard built from a page spec', () => {
  const d: any = buildDashboard(resourcesPage, ALL_TARGETS);

  test('queries come from the library with page variables as template variables and fixed params kept', () => {
    expect(byTitle(d, 'CPU by pod').targets[0].expr).toBe(
      // A series panel of a per-pod query draws the top pods of the range.
      buildQuery('workload.cpu.by_pod', {
        cluster: { variable: 'cluster' },
        namespace: { variable: 'namespace' },
        topN: SERIES_TOP_N,
      })
    );
    const top = byTitle(d, 'Top CPU').targets[0];
    expect(top.expr).toBe(
      buildQuery('workload.cpu.top', {
        cluster: { variable: 'cluster' },
        namespace: { variable: 'namespace' },
        topN: 5,
      })
    );
    expect(top.expr).toContain('"$namespace"');
    expect(top).toMatchObject({ instant: true, format: 'table' });
  });

  test('panels carry the library unit, legend and description, and the datasource variable', () => {
    const entry = getQuery('workload.cpu.by_pod');
    const cpu = byTitle(d, 'CPU by pod');
    expect(cpu.fieldConfig.defaults.unit).toBe(entry.unit);
    expect(cpu.description).toBe(entry.description);
    expect(cpu.targets[0].legendFormat).toBe(legendOf('workload.cpu.by_pod', {}));
    expect(cpu.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
    // A 16-column panel of dozens of pods: a legend table at the right, worst pod first.
    expect(cpu.options.legend).toMatchObject({
      showLegend: true,
      displayMode: 'table',
      placement: 'right',
      calcs: ['max', 'lastNotNull'],
      sortBy: 'Max',
      sortDesc: true,
    });
  });

  test('rows and panels are laid out from the spec widths and heights', () => {
    expect(d.panels.map((p: any) => [p.type, p.gridPos])).toEqual([
      ['row', { x: 0, y: 0, w: 24, h: 1 }],
      ['timeseries', { x: 0, y: 1, w: 16, h: 7 }],
      ['table', { x: 16, y: 1, w: 8, h: 8 }],
      ['row', { x: 0, y: 9, w: 24, h: 1 }],
      ['stat', { x: 0, y: 10, w: 12, h: 8 }],
    ]);
    expect(new Set(d.panels.map((p: any) => p.id)).size).toBe(d.panels.length);
  });

  test('a drilldown link opens the pod dashboard with the clicked labels, the variables and the time range', () => {
    const [link] = byTitle(d, 'CPU by pod').fieldConfig.defaults.links;
    expect(link.url).toBe(
      '/d/containersec-pod?var-namespace=${__field.labels.namespace:percentencode}' +
        '&var-pod=${__field.labels.pod:percentencode}&${datasource:queryparam}&${cluster:queryparam}&${__url_time_range}'
    );
  });

  test('a single number links to the page that explains it, carrying variables and time', () => {
    // The title names the metric the query reads: the page's namespace filter needs falcosidekick's workload labels.
    const critical = byTitle(d, 'Critical (falcosidekick)');
    expect(critical.options.reduceOptions.calcs).toEqual(['lastNotNull']);
    const [link] = critical.links;
    expect(link).toMatchObject({
      type: 'link',
      url: '/d/containersec-runtime?${datasource:queryparam}&${cluster:queryparam}&${__url_time_range}',
    });
  });

  test('a link to a page that has no dashboard is an error naming the page and panel', () => {
    const bad: PageSpec = {
      ...resourcesPage,
      rows: [{ panels: [{ title: 'Lost', queryId: 'falco.events.total', pageLink: 'nowhere' }] }],
    };
    expect(() => buildDashboard(bad, ALL_TARGETS)).toThrow(
      'page "resources-test", panel "Lost": no generated dashboard "nowhere"'
    );
  });

  test('variables: Prometheus picker first, label variables that regex-escape and select all by default', () => {
    const vars = d.templating.list;
    expect(vars.map((v: any) => v.name)).toEqual(['datasource', 'cluster', 'namespace']);
    expect(vars[0]).toMatchObject({ type: 'datasource', query: 'prometheus' });
    expect(vars[2]).toMatchObject({
      type: 'query',
      includeAll: true,
      allValue: '.*',
      datasource: { uid: '${datasource}' },
      query: {
        label: 'namespace',
        metric: 'kube_pod_info',
        labelFilters: [{ label: 'cluster', op: '=~', value: '$cluster' }],
      },
    });
  });
});

describe('the generated dashboards of the real pages', () => {
  const built = DASHBOARD_PAGES.map((page) => ({ page, d: buildDashboard(page, ALL_TARGETS) as any }));

  test('one dashboard per page and drilldown, each with a stable unique uid', () => {
    expect(built.map(({ d }) => d.uid)).toEqual(DASHBOARD_PAGES.map((p) => `containersec-${p.id}`));
    expect(new Set(built.map(({ d }) => d.uid)).size).toBe(built.length);
    expect(built.map(({ d }) => d.uid)).toEqual(
      expect.arrayContaining([
        'containersec-overview',
        'containersec-pod',
        'containersec-namespace',
        'containersec-rule',
      ])
    );
    for (const { page, d } of built) {
      expect(JSON.stringify(buildDashboard(page, ALL_TARGETS))).toBe(JSON.stringify(d));
    }
  });

  test('every spec panel is there in order, and its query filters by each page variable it takes', () => {
    for (const { page, d } of built) {
      const specs = page.rows.flatMap((r) => r.panels);
      const panels = panelsOf(d);
      // Falco event panels name the metric they read (src/scenes/sourceTitle.ts): native Falco unless workload labels
      // are needed.
      const expectedTitles = specs.map((s) => {
        const entry = getQuery(s.queryId);
        return sourceLabelledTitle(s.title, entry, entry.exporters(dashboardQueryParams(entry, s, page.variables)));
      });
      expect(panels.map((p: any) => p.title)).toEqual(expectedTitles);
      specs.forEach((spec, i) => {
        const entry = getQuery(spec.queryId);
        const expr: string = panels[i].targets[0].expr;
        for (const name of ['cluster', 'namespace', 'pod', 'rule'] as const) {
          if (entry.params.includes(name) && page.variables.includes(name)) {
            expect([spec.title, expr.includes(`"$${name}"`)]).toEqual([spec.title, true]);
          }
        }
        expect(expr).not.toMatch(/=~"\.\*"/);
      });
    }
  });

  test('every variable a page has is defined, except the query-shape ones a plain dashboard cannot rebuild', () => {
    for (const { page, d } of built) {
      const expected = page.variables.filter((v) => v !== 'falcoSource' && v !== 'minPriority');
      expect([page.id, d.templating.list.map((v: any) => v.name)]).toEqual([page.id, expected]);
    }
  });

  test('every link points at a generated dashboard and keeps the time range', () => {
    const uids = new Set(built.map(({ d }) => d.uid));
    let count = 0;
    for (const { d } of built) {
      for (const panel of panelsOf(d)) {
        for (const link of [...(panel.links ?? []), ...(panel.fieldConfig.defaults.links ?? [])]) {
          count++;
          const uid = /^\/d\/([^?]+)\?/.exec(link.url)?.[1];
          expect([link.url, uids.has(uid!)]).toEqual([link.url, true]);
          expect(link.url).toContain('${__url_time_range}');
          expect(link.url).toContain('${datasource:queryparam}');
        }
      }
    }
    expect(count).toBeGreaterThan(5);
  });

  test("the overview's events by pod drill into the pod dashboard with falcosidekick labels from each series", () => {
    const overview = built.find(({ page }) => page.id === 'overview')!.d;
    const [link] = byTitle(overview, 'Events by pod (falcosidekick)').fieldConfig.defaults.links;
    expect(link.url).toMatch(
      /^\/d\/containersec-pod\?var-namespace=\$\{__field\.labels\.k8s_ns_name:percentencode\}&var-pod=\$\{__field\.labels\.k8s_pod_name:percentencode\}&/
    );
  });
});

test('the riskiest pods table drills into pods by the recording rule labels, not its falcosidekick inputs', () => {
  const overview: any = buildDashboard(
    DASHBOARD_PAGES.find((p) => p.id === 'overview')!,
    ALL_TARGETS
  );
  const [link] = byTitle(overview, 'Pods with the highest risk score').fieldConfig.defaults.links;
  expect(link.url).toContain(
    'var-namespace=${__data.fields.namespace:percentencode}&var-pod=${__data.fields.pod:percentencode}'
  );
});

test('privileged launches by pod open the pod dashboard by the namespace and pod labels the query keeps', () => {
  const posture: any = buildDashboard(
    DASHBOARD_PAGES.find((p) => p.id === 'posture')!,
    ALL_TARGETS
  );
  const [link] = byTitle(posture, 'Privileged launches by pod and image (falcosidekick)').fieldConfig.defaults.links;
  expect(link.url).toContain(
    'var-namespace=${__data.fields.namespace:percentencode}&var-pod=${__data.fields.pod:percentencode}'
  );
});

test("the Runtime dashboard's All events stat adds up the per-interval counts: the range's total, first events included", () => {
  const runtime = buildDashboard(
    DASHBOARD_PAGES.find((p) => p.id === 'runtime')!,
    ALL_TARGETS
  ) as any;
  const all = panelsOf(runtime).find((p: any) => p.type === 'stat' && p.title.startsWith('All events'));
  expect(all.options.reduceOptions.calcs).toEqual(['sum']);
});

test("the pod dashboard's limit stats are one instant query each (a fact, not a day of 1,200 containers' history)", () => {
  const pod = buildDashboard(
    DASHBOARD_PAGES.find((p) => p.id === 'pod')!,
    ALL_TARGETS
  );
  for (const title of ['CPU limits', 'Memory limits']) {
    const panel = byTitle(pod, title);
    expect(panel.type).toBe('stat');
    expect(panel.targets[0]).toMatchObject({ instant: true });
    expect(panel.targets[0].range).toBeFalsy();
  }
  expect(byTitle(pod, 'Memory working set').targets[0]).toMatchObject({ range: true });
});
