import { specPage } from '../../scenes/specPage';
import { SetupStatus } from './SetupStatus';
import { overviewSpec } from './spec';

// Overview opens with the setup check, so a broken datasource is the first thing the user reads.
export function overviewPage(settings: { prometheusDatasourceUid: string; falcoDatasourceUid: string }) {
  return specPage(overviewSpec, settings.prometheusDatasourceUid, () => new SetupStatus(settings));
}
