import React from 'react';
import { usePluginContext } from '@grafana/data';
import { Stack } from '@grafana/ui';
import { effectiveSettings } from '../../appSettings';
import type { AppSettings } from '../../constants';
import { RemoveException } from './RemoveException';
import { RuleRateAroundDeploy } from './RuleRateAroundDeploy';

// The rule drilldown's proof and way back: the rate around the last deploy that changed the rule, and its exceptions.
export function RuleTuning({ rule }: { rule: string }) {
  const context = usePluginContext<AppSettings>();
  const uid = effectiveSettings(context?.meta.jsonData).falcoDatasourceUid;
  return (
    <Stack direction="column" gap={2}>
      <RuleRateAroundDeploy datasourceUid={uid} rule={rule} />
      <RemoveException datasourceUid={uid} rule={rule} />
    </Stack>
  );
}
