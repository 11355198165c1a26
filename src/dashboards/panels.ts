import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import type { QueryEntry, Visualization } from '../queries/types';
import type { PanelSpec } from '../scenes/spec';
import { countDisplay, fieldOverrides, seriesTransformations, timeseriesLegend } from '../scenes/fieldDisplay';
import { emptyMeansNone } from '../scenes/noValue';
import { TABLE_COLUMNS } from '../scenes/tableColumns';
import { valueColors } from '../scenes/valueColors';

// Every panel queries the Prometheus the dashboard's datasource variable points at.
export const PROMETHEUS = { type: 'prometheus', uid: '${datasource}' };

type AnyPanelBuilder =
  timeseries.PanelBuilder | stat.PanelBuilder | table.PanelBuilder | bargauge.PanelBuilder | gauge.PanelBuilder;

// The app's legend: a table sorted by each series' maximum (see timeseriesLegend).
const seriesLegend = (width?: number, seriesLegendFormat?: string) => {
  const legend = timeseriesLegend(width, seriesLegendFormat);
  const builder = new common.VizLegendOptionsBuilder()
    .showLegend(legend.showLegend)
    .displayMode(common.LegendDisplayMode.Table)
    .placement(legend.placement === 'right' ? common.LegendPlacement.Right : common.LegendPlacement.Bottom)
    .calcs(legend.calcs);
  return legend.sortBy ? builder.sortBy(legend.sortBy).sortDesc(legend.sortDesc ?? true) : builder;
};

// Single values show the latest sample, whatever the panel type's default.
const lastValue = () => new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);

const VISUALIZATIONS: Record<Visualization, (width?: number, legend?: string) => AnyPanelBuilder> = {
  timeseries: (width, legend) => new timeseries.PanelBuilder().legend(seriesLegend(width, legend)).fillOpacity(10),
  stat: () => new stat.PanelBuilder().graphMode(common.BigValueGraphMode.Area).reduceOptions(lastValue()),
  // The same columns as the app's tables: no Time, headers in the user's words, Falco priorities by name.
  table: () => new table.PanelBuilder().withTransformation(TABLE_COLUMNS),
  bargauge: () => new bargauge.PanelBuilder().orientation(common.VizOrientation.Horizontal).reduceOptions(lastValue()),
  gauge: () => new gauge.PanelBuilder().reduceOptions(lastValue()),
};

// Tables, bar gauges and gauges show the latest value per series; time series and stats show the range.
const INSTANT: Visualization[] = ['table', 'bargauge', 'gauge'];

export function panelTarget(
  expr: string,
  legend: string | undefined,
  visualization: Visualization,
  fact = false // QueryEntry.instant: one value per series at the range's end whatever the visualization
) {
  const instant = fact || INSTANT.includes(visualization);
  const target = new prometheus.DataqueryBuilder().refId('A').datasource(PROMETHEUS).expr(expr);
  if (visualization === 'table') {
    // One row per series, its labels as columns that the row's drilldown link reads.
    return target.instant().format(prometheus.PromQueryFormat.Table);
  }
  if (legend) {
    target.legendFormat(legend);
  }
  return instant ? target.instant() : target.range();
}

export interface PanelQuery {
  expr: string;
  legend?: string; // the library's legend for these parameters (Falco label names depend on the source)
}

export interface PanelLinks {
  dataLinks: Array<cog.Builder<dashboard.DashboardLink>>;
  panelLinks: Array<cog.Builder<dashboard.DashboardLink>>;
}

// One dashboard panel of a PanelSpec: the library's title-independent facts (unit, legend, description) plus the
// spec's layout and links.
export function buildPanel(spec: PanelSpec, entry: QueryEntry, query: PanelQuery, id: number, links: PanelLinks) {
  const visualization = spec.visualization ?? entry.visualization;
  const panel = VISUALIZATIONS[visualization](spec.width, query.legend)
    .id(id)
    .title(spec.title)
    .description(spec.description ?? entry.description)
    .datasource(PROMETHEUS)
    .unit(entry.unit)
    .span(spec.width ?? 12)
    .height(spec.height ?? 8)
    .withTarget(panelTarget(query.expr, query.legend, visualization, entry.instant));
  if (visualization === 'stat' && spec.reduce) {
    (panel as stat.PanelBuilder).reduceOptions(
      new common.ReduceDataOptionsBuilder().calcs([spec.reduce]).values(false)
    );
  }
  const { color, thresholds } = valueColors(spec, visualization);
  if (color) {
    panel.colorScheme({ build: () => color as dashboard.FieldColor });
    if (thresholds) {
      panel.thresholds({ build: () => thresholds as dashboard.ThresholdsConfig });
    }
  }
  const counts = countDisplay(entry.unit);
  if (counts.decimals !== undefined) {
    panel.decimals(counts.decimals);
  }
  if (counts.mappings) {
    panel.mappings(counts.mappings as unknown as dashboard.ValueMapping[]);
  }
  const noValue = spec.noValue ?? emptyMeansNone(spec.queryId);
  if (noValue !== undefined) {
    panel.noValue(noValue);
  }
  for (const override of fieldOverrides(visualization, query.legend, entry.unit)) {
    panel.withOverride(override as Parameters<typeof panel.withOverride>[0]);
  }
  for (const transformation of seriesTransformations(visualization, query.legend)) {
    panel.withTransformation(transformation);
  }
  if (links.dataLinks.length > 0) {
    panel.dataLinks(links.dataLinks);
  }
  if (links.panelLinks.length > 0) {
    panel.links(links.panelLinks);
  }
  return panel;
}
