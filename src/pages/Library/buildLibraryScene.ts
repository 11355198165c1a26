import {
  DataSourceVariable,
  EmbeddedScene,
  SceneFlexItem,
  SceneFlexLayout,
  SceneObject,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  SceneVariableSet,
  VariableValueSelectors,
} from '@grafana/scenes';
import { PROMETHEUS_DATASOURCE_TYPE } from '../../constants';
import { DATASOURCE_VARIABLE } from './datasourceVariable';

// The library's frame: a Prometheus picker (starting on the configured one) and a time range for previews and checks.
// The body is the LibraryScene, or a lazy loader of it so the page's code loads when the page is first shown.
export function buildLibraryScene(prometheusDatasourceUid: string, body: SceneObject) {
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    $variables: new SceneVariableSet({
      variables: [
        new DataSourceVariable({
          name: DATASOURCE_VARIABLE,
          label: 'Prometheus',
          pluginId: PROMETHEUS_DATASOURCE_TYPE,
          value: prometheusDatasourceUid,
        }),
      ],
    }),
    controls: [new VariableValueSelectors({}), new SceneTimePicker({}), new SceneRefreshPicker({ withText: true })],
    body: new SceneFlexLayout({
      direction: 'column',
      children: [new SceneFlexItem({ body })],
    }),
  });
}
