import React, { useEffect, useState } from 'react';
import { usePluginContext } from '@grafana/data';
import { Alert, Stack, Text } from '@grafana/ui';
import { EffectiveRule, validateRules } from '../../api/rules';
import { effectiveSettings } from '../../appSettings';
import type { AppSettings } from '../../constants';
import { PriorityBadge } from '../../scenes/events/PriorityBadge';
import { MitreAttack } from '../Mitre/MitreAttack';
import { plainTags, ruleMitre } from '../RuleEditor/effectiveRules';

type State =
  | { kind: 'loading' }
  | { kind: 'found'; rule: EffectiveRule }
  | { kind: 'custom' }
  | { kind: 'error'; message: string };

// An empty file: the Falco datasource answers with the default ruleset as Falco loads it, each rule with its facts.
const NO_CUSTOM_FILES = [{ name: 'defaults_only.yaml', content: '' }];

// RuleFacts heads the rule drilldown with what the rule is: its priority, source, tags and MITRE ATT&CK mapping,
// from the Falco datasource's copy of the default ruleset.
export function RuleFacts({ rule }: { rule: string }) {
  const context = usePluginContext<AppSettings>();
  const uid = effectiveSettings(context?.meta.jsonData).falcoDatasourceUid;
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    let live = true;
    validateRules(uid, NO_CUSTOM_FILES).then(
      (res) => {
        const found = res.rules.find((r) => r.name === rule);
        live && setState(found ? { kind: 'found', rule: found } : { kind: 'custom' });
      },
      (e: Error) => live && setState({ kind: 'error', message: e.message })
    );
    return () => {
      live = false;
    };
  }, [uid, rule]);

  switch (state.kind) {
    case 'loading':
      return null;
    case 'error':
      return (
        <Alert severity="info" title="The rule's definition is not available">
          The Falco datasource did not answer: {state.message}
        </Alert>
      );
    case 'custom':
      return <Text color="secondary">Not in Falco&apos;s default ruleset: a custom rule.</Text>;
  }
  const r = state.rule;
  return (
    <Stack gap={2} alignItems="center" wrap="wrap">
      <Stack gap={1} alignItems="center">
        <Text>Priority</Text>
        <PriorityBadge priority={r.priority} />
      </Stack>
      <Text>Source {r.source}</Text>
      <Stack gap={1} alignItems="center">
        <Text>MITRE ATT&amp;CK</Text>
        <MitreAttack mapping={ruleMitre(r)} />
      </Stack>
      <Text color="secondary">Tags {plainTags(r).join(', ')}</Text>
      <Text color="secondary">Defined in {r.file} (default ruleset)</Text>
    </Stack>
  );
}
