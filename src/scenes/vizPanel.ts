import { type DataLink, type FieldConfig, ThresholdsMode } from '@grafana/data';
import { SceneDataTransformer, SceneQueryRunner, VizPanel } from '@grafana/scenes';
import { PROMETHEUS_DATASOURCE_TYPE } from '../constants';
import type { QueryEntry, Visualization } from '../queries/types';
import type { PanelSpec } from './spec';
import { countDisplay, fieldOverrides, seriesTransformations, timeseriesLegend } from './fieldDisplay';
import { emptyMeansNone } from './noValue';
import { groupsByPriority, sortRowsBySeverityOperator } from './severityRows';
import { TABLE_COLUMNS } from './tableColumns';
import { valueColors } from './valueColors';

export { fieldOverrides } from './fieldDisplay';

// Visualizations that show one value per series need only the latest sample: an instant query is far cheaper.
const INSTANT: Visualization[] = ['table', 'bargauge', 'gauge'];

export interface PanelQuery {
  refId: string;
  expr: string;
  legendFormat?: string;
  instant: boolean;
  range: boolean;
  format: 'table' | 'time_series';
}

export function panelQuery(
  expr: string,
  legend: string | undefined,
  visualization: Visualization,
  fact = false // QueryEntry.instant: one value per series at the range's end whatever the visualization
): PanelQuery {
  const instant = fact || INSTANT.includes(visualization);
  return {
    refId: 'A',
    expr,
    legendFormat: legend,
    instant,
    range: !instant,
    format: visualization === 'table' ? 'table' : 'time_series',
  };
}

const OPTIONS: Record<Visualization, Record<string, unknown>> = {
  timeseries: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi' } },
  stat: { reduceOptions: { calcs: ['lastNotNull'], values: false }, graphMode: 'area', colorMode: 'value' },
  table: { showHeader: true, sortBy: [{ displayName: 'Value', desc: true }] },
  bargauge: {
    reduceOptions: { calcs: ['lastNotNull'], values: false },
    orientation: 'horizontal',
    displayMode: 'gradient',
  },
  gauge: { reduceOptions: { calcs: ['lastNotNull'], values: false } },
};

// Value colours as a scene takes them: the base threshold is -Infinity in memory, null only in JSON.
function sceneColors(spec: PanelSpec, visualization: Visualization): FieldConfig {
  const { color, thresholds } = valueColors(spec, visualization);
  return {
    color: color as FieldConfig['color'],
    thresholds: thresholds && {
      mode: ThresholdsMode.Absolute,
      steps: thresholds.steps.map((s) => ({ color: s.color, value: s.value ?? -Infinity })),
    },
  };
}

// One library entry as a Grafana panel: title, unit, legend and visualization from the entry unless the spec says
// otherwise, querying the page's Prometheus datasource variable.
export function buildVizPanel(spec: PanelSpec, entry: QueryEntry, query: PanelQuery, links: DataLink[]) {
  const visualization = spec.visualization ?? entry.visualization;
  const runner = new SceneQueryRunner({
    datasource: { type: PROMETHEUS_DATASOURCE_TYPE, uid: '${datasource}' },
    queries: [query],
    requestIdPrefix: `${spec.queryId}#`, // names the library entry in the query inspector
  });
  const bySeverity = visualization === 'table' && groupsByPriority(query.expr);
  const transformations =
    visualization === 'table'
      ? [...(bySeverity ? [sortRowsBySeverityOperator] : []), TABLE_COLUMNS]
      : seriesTransformations(visualization, query.legendFormat);
  const data = transformations.length > 0 ? new SceneDataTransformer({ $data: runner, transformations }) : runner;
  const options =
    visualization === 'timeseries'
      ? { ...OPTIONS.timeseries, legend: timeseriesLegend(spec.width, query.legendFormat) }
      : visualization === 'stat' && spec.reduce
        ? { ...OPTIONS.stat, reduceOptions: { calcs: [spec.reduce], values: false } }
        : bySeverity
          ? { ...OPTIONS.table, sortBy: [] } // the rows' own order: severity first
          : OPTIONS[visualization];
  const panel = new VizPanel({
    pluginId: visualization,
    title: spec.title,
    description: spec.description ?? entry.description,
    $data: data,
    options,
    fieldConfig: {
      defaults: {
        unit: entry.unit,
        ...(countDisplay(entry.unit) as Partial<FieldConfig>),
        links,
        noValue: spec.noValue ?? emptyMeansNone(spec.queryId),
        ...sceneColors(spec, visualization),
      },
      overrides: fieldOverrides(visualization, query.legendFormat, entry.unit),
    },
  });
  return { panel, runner };
}
