import {
  EmbeddedScene,
  PanelBuilders,
  SceneAppPage,
  SceneControlsSpacer,
  SceneDataTransformer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneQueryRunner,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  VariableValueSelectors,
} from '@grafana/scenes';
import { prefixRoute, ROUTES } from '../../constants';
import { EventList } from '../../scenes/events/EventList';
import {
  EVENT_FILTER_VARIABLES,
  eventCountsQuery,
  eventFilters,
  eventsDatasource,
} from '../../scenes/events/eventQueries';
import { EVENTS_UNIT } from '../../queries/eventCounts';
import { colourByPriorityOperator } from '../../scenes/events/priorityCounts';
import { countDisplay } from '../../scenes/fieldDisplay';
import { drilldownViews } from '../../scenes/specPage';
import { eventFilterVariables } from './eventVariables';

// URL keys that survive the way back from a drilldown opened in the drawer.
const PRESERVED_URL_KEYS = ['from', 'to', 'timezone', 'refresh', ...EVENT_FILTER_VARIABLES.map((v) => `var-${v}`)];

// Events over time, stacked by priority in the fixed priority colours.
function countsPanel() {
  const counts = new SceneDataTransformer({
    $data: new SceneQueryRunner({
      datasource: eventsDatasource(),
      queries: [eventCountsQuery(eventFilters(EVENT_FILTER_VARIABLES))],
      // The backend buckets by the query interval: about 120 bars over the range, never under a second.
      maxDataPoints: 120,
      minInterval: '1s',
    }),
    transformations: [colourByPriorityOperator],
  });
  return (
    PanelBuilders.timeseries()
      .setTitle('Events by priority')
      .setDescription('Falco events per interval, stacked by priority')
      .setData(counts)
      .setUnit(EVENTS_UNIT)
      .setDecimals(0)
      .setMappings((countDisplay(EVENTS_UNIT).mappings ?? []) as never)
      .setCustomFieldConfig('drawStyle', 'bars' as never)
      .setCustomFieldConfig('fillOpacity', 80)
      .setCustomFieldConfig('lineWidth', 1)
      .setCustomFieldConfig('stacking', { mode: 'normal' } as never)
      // A table legend: its buttons are named by their priority (the list legend's say "All series selected").
      .setOption('legend', { showLegend: true, displayMode: 'table', placement: 'right' } as never)
      .setOption('tooltip', { mode: 'multi', sort: 'none' } as never)
      .build()
  );
}

export function eventsScene() {
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-6h', to: 'now' }),
    $variables: eventFilterVariables(),
    controls: [
      new VariableValueSelectors({}),
      new SceneControlsSpacer(),
      new SceneTimePicker({ isOnCanvas: true }),
      new SceneRefreshPicker({ isOnCanvas: true, withText: true, intervals: ['10s', '30s', '1m', '5m'] }),
    ],
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexItem({ height: 240, body: countsPanel() }),
        new SceneFlexItem({
          body: new EventList({ title: 'Events', filters: eventFilters(EVENT_FILTER_VARIABLES), page: ROUTES.Events }),
        }),
      ],
    }),
  });
}

// The Falco events falcosidekick sent to the Falco datasource: counts by priority, a filter bar, the list and details.
export function eventsPage(settings: { prometheusDatasourceUid: string }) {
  return new SceneAppPage({
    title: 'Events',
    subTitle: 'Falco events from the Falco datasource: filter by priority, rule, workload, node, source, tag or text',
    url: prefixRoute(ROUTES.Events),
    routePath: `${ROUTES.Events}/*`,
    preserveUrlKeys: PRESERVED_URL_KEYS,
    getScene: eventsScene,
    // The drawer's pod, namespace and rule links open under Events, so the breadcrumb leads back here.
    drilldowns: drilldownViews(ROUTES.Events, settings.prometheusDatasourceUid),
  });
}
