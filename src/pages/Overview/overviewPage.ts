import { SceneFlexItem, SceneFlexLayout } from '@grafana/scenes';
import { specPage } from '../../scenes/specPage';
import { EarlierCriticals } from './EarlierCriticals';
import { SetupStatus } from './SetupStatus';
import { overviewSpec } from './spec';

// Overview opens with the setup check, so a broken datasource is the first thing the user reads, then any Critical
// detection the range shown leaves out.
export function overviewPage(settings: { prometheusDatasourceUid: string; falcoDatasourceUid: string }) {
  return specPage(
    overviewSpec,
    settings.prometheusDatasourceUid,
    () =>
      new SceneFlexLayout({
        direction: 'column',
        children: [
          new SceneFlexItem({ body: new SetupStatus(settings) }),
          new SceneFlexItem({ body: new EarlierCriticals() }),
        ],
      })
  );
}
