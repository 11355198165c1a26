import { specPage } from '../../scenes/specPage';
import { runtimeSpec } from './spec';

export function runtimePage(settings: { prometheusDatasourceUid: string }) {
  return specPage(runtimeSpec, settings.prometheusDatasourceUid);
}
