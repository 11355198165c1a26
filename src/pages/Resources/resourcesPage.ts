import { specPage } from '../../scenes/specPage';
import { resourcesSpec } from './spec';

export function resourcesPage(settings: { prometheusDatasourceUid: string }) {
  return specPage(resourcesSpec, settings.prometheusDatasourceUid);
}
