import React from 'react';
import {
  booleanOverrideProcessor,
  FieldColorModeId,
  FieldConfigEditorBuilder,
  FieldConfigPropertyItem,
  FieldDisplay,
  identityOverrideProcessor,
  numberOverrideProcessor,
  getFieldDisplayValues,
  PanelPlugin,
  PanelProps,
  ReduceDataOptions,
  ThresholdsMode,
  VizOrientation,
} from '@grafana/data';
import { BarGaugeDisplayMode, GraphDrawStyle, LegendDisplayMode, VisibilityMode } from '@grafana/schema';
import {
  BarGauge,
  BigValue,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  Table,
  TimeSeries,
  useTheme2,
} from '@grafana/ui';

// Grafana's core panels (timeseries, stat, table, bar gauge, gauge) are not on npm; these stand-ins draw the panel's
// real frames with @grafana/ui's own components, after Grafana's own field processing (units, names, links).

type Options = { reduceOptions?: ReduceDataOptions; legend?: any; colorMode?: string; graphMode?: string };

function useDisplayValues(props: PanelProps<Options>): FieldDisplay[] {
  const theme = useTheme2();
  return getFieldDisplayValues({
    fieldConfig: props.fieldConfig,
    reduceOptions: props.options.reduceOptions ?? { calcs: ['lastNotNull'], values: false },
    replaceVariables: props.replaceVariables,
    theme,
    data: props.data.series,
    timeZone: props.timeZone,
  });
}

// Grafana's panels show the field config's noValue when there is nothing to draw, else "No data".
function NoData({ text }: { text?: string }) {
  return <div style={{ padding: 8, opacity: 0.7 }}>{text ?? 'No data'}</div>;
}

function StatPanel(props: PanelProps<Options>) {
  const theme = useTheme2();
  const values = useDisplayValues(props);
  const width = values.length ? props.width / values.length : props.width;
  return (
    <div style={{ display: 'flex' }}>
      {values.map((v, i) => (
        <BigValue
          key={i}
          theme={theme}
          width={width}
          height={props.height}
          value={v.display}
          sparkline={props.options.graphMode === 'area' ? v.sparkline : undefined}
          colorMode={BigValueColorMode.Value}
          textMode={values.length > 1 ? BigValueTextMode.ValueAndName : BigValueTextMode.Value}
          graphMode={props.options.graphMode === 'area' ? BigValueGraphMode.Area : BigValueGraphMode.None}
        />
      ))}
    </div>
  );
}

const DEFAULT_THRESHOLDS = {
  mode: ThresholdsMode.Absolute,
  steps: [
    { value: -Infinity, color: 'green' },
    { value: 80, color: 'red' },
  ],
};

function BarGaugePanel(props: PanelProps<Options>) {
  const theme = useTheme2();
  const values = useDisplayValues(props);
  const rowHeight = Math.min(40, values.length ? props.height / values.length : props.height);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', overflow: 'hidden', height: props.height }}>
      {values.map((v, i) => (
        <BarGauge
          key={i}
          theme={theme}
          width={props.width}
          height={rowHeight}
          value={v.display}
          field={{ ...v.field, thresholds: v.field.thresholds ?? DEFAULT_THRESHOLDS }}
          orientation={VizOrientation.Horizontal}
          displayMode={BarGaugeDisplayMode.Gradient}
        />
      ))}
    </div>
  );
}

// @grafana/ui's exported Table (Grafana core's table panel draws TableNG, which does not render outside Grafana here):
// it honours custom.width, minWidth, hidden and cellOptions, not wrapText.
function TablePanel(props: PanelProps<Options>) {
  const frame = props.data.series[0];
  return frame?.length ? (
    <Table data={frame} width={props.width} height={props.height} />
  ) : (
    <NoData text={props.fieldConfig.defaults.noValue} />
  );
}

function TimeSeriesPanel(props: PanelProps<Options>) {
  if (!props.data.series.length) {
    return <NoData text={props.fieldConfig.defaults.noValue} />;
  }
  const frames = props.data.series.map((frame) => ({
    ...frame,
    fields: frame.fields.map((f) => ({
      ...f,
      config: {
        ...f.config,
        custom: { drawStyle: GraphDrawStyle.Line, lineWidth: 1, fillOpacity: 10, showPoints: VisibilityMode.Never },
      },
    })),
  }));
  return (
    <TimeSeries
      frames={frames}
      width={props.width}
      height={props.height}
      timeRange={props.timeRange}
      timeZone={props.timeZone}
      legend={props.options.legend ?? { displayMode: LegendDisplayMode.List, placement: 'bottom', showLegend: true }}
    />
  );
}

const COMPONENTS: Record<string, React.ComponentType<PanelProps<Options>>> = {
  timeseries: TimeSeriesPanel,
  stat: StatPanel,
  table: TablePanel,
  bargauge: BarGaugePanel,
  gauge: BarGaugePanel,
};

// The table's own field options (custom.*) the app sets, as Grafana's table panel declares them: without a
// declaration applyFieldOverrides drops them, and the preview would not show column widths, wrapping or hidden values.
const TABLE_CUSTOM_OPTIONS: Array<[string, FieldConfigPropertyItem['process']]> = [
  ['width', numberOverrideProcessor],
  ['minWidth', numberOverrideProcessor],
  ['wrapText', booleanOverrideProcessor],
  ['hidden', booleanOverrideProcessor],
  ['cellOptions', identityOverrideProcessor],
];

function tableCustomConfig(builder: FieldConfigEditorBuilder<Record<string, unknown>>) {
  for (const [path, process] of TABLE_CUSTOM_OPTIONS) {
    builder.addCustomEditor({
      id: path,
      path,
      name: path,
      editor: () => null,
      override: () => null,
      process,
      shouldApply: () => true,
    });
  }
}

export function previewPanelPlugin(id: string): PanelPlugin {
  const plugin = new PanelPlugin<Options>(COMPONENTS[id] ?? (() => <NoData />));
  // Every core panel declares the standard field options; without them the panel drops the unit and links.
  const color = id === 'timeseries' ? FieldColorModeId.PaletteClassic : FieldColorModeId.Thresholds;
  plugin.useFieldConfig({
    standardOptions: { color: { defaultValue: { mode: color } } },
    useCustomConfig: id === 'table' ? tableCustomConfig : undefined,
  });
  plugin.meta = { id, name: id, info: { version: 'preview', logos: {} } } as PanelPlugin['meta'];
  return plugin;
}
