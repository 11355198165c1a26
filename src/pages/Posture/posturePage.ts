import { specPage } from '../../scenes/specPage';
import { postureSpec } from './spec';

export function posturePage(settings: { prometheusDatasourceUid: string }) {
  return specPage(postureSpec, settings.prometheusDatasourceUid);
}
