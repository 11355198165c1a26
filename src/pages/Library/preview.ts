import { SceneDataQuery, SceneQueryRunner, VizPanel } from '@grafana/scenes';
import { PROMETHEUS_DATASOURCE_TYPE } from '../../constants';
import type { QueryEntry } from '../../queries/types';

// Tables and gauges show one value per series, so they ask Prometheus for an instant vector instead of a range; so
// does an entry whose values are facts at the range's end (QueryEntry.instant: a container's limits).
function isInstant(entry: QueryEntry): boolean {
  return (
    entry.instant === true ||
    entry.visualization === 'table' ||
    entry.visualization === 'bargauge' ||
    entry.visualization === 'gauge'
  );
}

export function previewQuery(entry: QueryEntry, expr: string, legend: string | undefined): SceneDataQuery {
  const instant = isInstant(entry);
  return {
    refId: 'A',
    expr,
    legendFormat: legend,
    instant,
    range: !instant,
    format: entry.visualization === 'table' ? 'table' : 'time_series',
  };
}

// The entry as a panel with its suggested visualization and unit, querying the page's Prometheus datasource.
export function previewPanel(
  entry: QueryEntry,
  expr: string,
  legend: string | undefined,
  datasourceRef: string
): VizPanel {
  return new VizPanel({
    key: `preview-${entry.id}`,
    pluginId: entry.visualization,
    title: entry.title,
    description: entry.description,
    options: {},
    fieldConfig: { defaults: { unit: entry.unit }, overrides: [] },
    $data: new SceneQueryRunner({
      datasource: { type: PROMETHEUS_DATASOURCE_TYPE, uid: datasourceRef },
      queries: [previewQuery(entry, expr, legend)],
    }),
  });
}

// A new expression for the same entry re-runs the panel's query instead of building a new panel.
export function updatePreview(panel: VizPanel, entry: QueryEntry, expr: string, legend: string | undefined): void {
  const runner = panel.state.$data;
  if (!(runner instanceof SceneQueryRunner)) {
    return;
  }
  runner.setState({ queries: [previewQuery(entry, expr, legend)] });
  if (runner.isActive) {
    runner.runQueries();
  }
}
