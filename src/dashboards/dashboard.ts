import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { buildQuery, getQuery, legendOf } from '../queries';
import type { Exporter, Visualization } from '../queries/types';
import type { PageSpec, PanelSpec } from '../scenes/spec';
import { LinkTarget, dashboardUid, drilldownDataLink, pageLink } from './links';
import { PanelLinks, buildPanel } from './panels';
import { dashboardQueryParams } from './queryParams';
import { dashboardVariables } from './variables';
import { sourceLabelledTitle } from '../scenes/sourceTitle';

// Every generated dashboard carries this tag; the dashboards' link menu lists the others by it.
export const DASHBOARD_TAG = 'containersec';

// The dashboards a panel can link to: the pages and drilldowns by id.
export type LinkTargets = Record<string, LinkTarget>;

function panelLinks(
  spec: PanelSpec,
  page: PageSpec,
  targets: LinkTargets,
  exporters: Exporter[],
  visualization: Visualization,
  legend?: string
): PanelLinks {
  const links: PanelLinks = { dataLinks: [], panelLinks: [] };
  if (spec.drilldown) {
    const target = requireTarget(targets, spec.drilldown, page, spec);
    const link = drilldownDataLink(target, spec.drilldown, exporters, visualization, page.variables, legend);
    if (link) {
      links.dataLinks.push(link);
    }
  }
  if (spec.pageLink) {
    links.panelLinks.push(pageLink(requireTarget(targets, spec.pageLink, page, spec), page.variables));
  }
  return links;
}

function requireTarget(targets: LinkTargets, id: string, page: PageSpec, spec: PanelSpec): LinkTarget {
  const target = targets[id];
  if (!target) {
    throw new Error(`page "${page.id}", panel "${spec.title}": no generated dashboard "${id}" to link to`);
  }
  return target;
}

// The v1 dashboard model: the one file provisioning and the kube-prometheus-stack sidecar load in Grafana 12.4 and 13.
// One plain Grafana dashboard for one app page: same rows, panels, queries and drilldowns, as dashboard JSON.
export function buildDashboard(page: PageSpec, targets: LinkTargets): dashboard.Dashboard {
  const builder = new dashboard.DashboardBuilder(`Container Security / ${page.title}`)
    .uid(dashboardUid(page.id))
    .description(page.description)
    .tags([DASHBOARD_TAG, 'security', 'falco', 'kubernetes'])
    .editable()
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .timezone('browser')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .variables(dashboardVariables(page.variables))
    .link(
      new dashboard.DashboardLinkBuilder('Container Security')
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags([DASHBOARD_TAG])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true)
    );

  let id = 0;
  for (const row of page.rows) {
    if (row.title) {
      // Grafana keeps an expanded row's panels after the row, not inside it.
      builder.withRow(new dashboard.RowBuilder(row.title).id(++id));
    }
    for (const spec of row.panels) {
      const entry = getQuery(spec.queryId);
      const params = dashboardQueryParams(entry, spec, page.variables);
      const query = { expr: buildQuery(spec.queryId, params), legend: legendOf(spec.queryId, params) };
      const visualization = spec.visualization ?? entry.visualization;
      const exporters = entry.exporters(params);
      const links = panelLinks(spec, page, targets, exporters, visualization, query.legend);
      const title = sourceLabelledTitle(spec.title, entry, exporters);
      builder.withPanel(buildPanel({ ...spec, title }, entry, query, ++id, links));
    }
  }
  return builder.build();
}
