import React from 'react';
import { getDataSourceSrv } from '@grafana/runtime';
import { SceneComponentProps, SceneObjectBase, SceneObjectState } from '@grafana/scenes';
import { Alert, LinkButton, Stack, Text } from '@grafana/ui';
import { checkFalcoHealth, FalcoHealth } from '../../api/falcoDatasource';
import { CONFIG_PAGE_URL, FALCO_DATASOURCE_TYPE, PROMETHEUS_DATASOURCE_TYPE } from '../../constants';

export interface DatasourceStatus {
  uid: string;
  name?: string;
  // Why this datasource cannot be used; undefined when it can.
  problem?: string;
}

export interface SetupStatusState extends SceneObjectState {
  prometheus: DatasourceStatus;
  falco: DatasourceStatus;
  falcoHealth?: FalcoHealth;
}

function lookUp(uid: string, expectedType: string, label: string): DatasourceStatus {
  // getDataSourceSrv is deprecated in 13.x, but its replacement in @grafana/runtime/unstable is missing from 12.4, which we support.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const ds = getDataSourceSrv().getInstanceSettings(uid);
  if (!ds) {
    return { uid, problem: `No ${label} datasource with uid "${uid}" exists` };
  }
  if (ds.type !== expectedType) {
    return { uid, name: ds.name, problem: `"${ds.name}" is a ${ds.type} datasource, not ${label}` };
  }
  return { uid, name: ds.name };
}

// SetupStatus tells the user whether the app can work: the datasources it uses and the Falco backend's health.
export class SetupStatus extends SceneObjectBase<SetupStatusState> {
  static Component = SetupStatusRenderer;

  constructor(settings: { prometheusDatasourceUid: string; falcoDatasourceUid: string }) {
    super({
      prometheus: lookUp(settings.prometheusDatasourceUid, PROMETHEUS_DATASOURCE_TYPE, 'Prometheus'),
      falco: lookUp(settings.falcoDatasourceUid, FALCO_DATASOURCE_TYPE, 'Falco'),
    });
    this.addActivationHandler(() => {
      if (!this.state.falco.problem) {
        checkFalcoHealth(this.state.falco.uid).then((falcoHealth) => this.setState({ falcoHealth }));
      }
    });
  }
}

function SetupStatusRenderer({ model }: SceneComponentProps<SetupStatus>) {
  const { prometheus, falco, falcoHealth } = model.useState();
  const problems = [prometheus.problem, falco.problem].filter(Boolean) as string[];
  if (falcoHealth?.status === 'ERROR') {
    problems.push(`Falco datasource: ${falcoHealth.message}`);
  }
  if (problems.length > 0) {
    return (
      <Alert severity="warning" title="Container Security is not fully set up">
        <Stack direction="column" gap={1}>
          {problems.map((p) => (
            <Text key={p}>{p}</Text>
          ))}
          <div>
            <LinkButton href={CONFIG_PAGE_URL} icon="cog" variant="secondary">
              Open the configuration
            </LinkButton>
          </div>
        </Stack>
      </Alert>
    );
  }
  return (
    <Stack direction="column" gap={1}>
      <Text>
        Metrics from <Text weight="bold">{prometheus.name ?? prometheus.uid}</Text>, events and rules from{' '}
        <Text weight="bold">{falco.name ?? falco.uid}</Text>.
      </Text>
      {falcoHealth && <Text color="secondary">{falcoHealth.message}</Text>}
    </Stack>
  );
}
