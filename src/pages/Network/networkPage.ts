import { specPage } from '../../scenes/specPage';
import { networkSpec } from './spec';

export function networkPage(settings: { prometheusDatasourceUid: string }) {
  return specPage(networkSpec, settings.prometheusDatasourceUid);
}
