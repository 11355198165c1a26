import { AppSettings, PROVISIONED_FALCO_UID, PROVISIONED_PROMETHEUS_UID } from './constants';

// The datasources the app uses: what the admin saved, else the provisioned ones.
export function effectiveSettings(saved: AppSettings | undefined): Required<AppSettings> {
  return {
    prometheusDatasourceUid: saved?.prometheusDatasourceUid || PROVISIONED_PROMETHEUS_UID,
    falcoDatasourceUid: saved?.falcoDatasourceUid || PROVISIONED_FALCO_UID,
  };
}
