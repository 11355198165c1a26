import React, { useEffect } from 'react';
import { Alert, LoadingBar, Stack, Text } from '@grafana/ui';
import type { DaemonSetRollout, ReleaseRef } from '../../api/deploy';
import { GuardNotice } from './GuardNotice';
import { deployTestIds } from './testIds';
import { useRollout } from './useRollout';

interface Props {
  datasourceUid: string;
  target: ReleaseRef;
  timeoutSeconds: number;
  onFinished?: (outcome: 'done' | 'timeout') => void;
}

function DaemonSetLine({ ds }: { ds: DaemonSetRollout }) {
  return (
    <Stack direction="column" gap={0.5}>
      <Text>
        {`DaemonSet ${ds.namespace}/${ds.name}: ${ds.updated} updated, ${ds.ready} ready, ${ds.desired} desired`}
        {ds.done ? ' · done' : ''}
        {ds.missing ? ' · not in the cluster' : ''}
      </Text>
      {ds.failingPods.length > 0 && (
        <ul aria-label={`Failing pods of ${ds.name}`}>
          {ds.failingPods.map((p) => (
            <li key={p.name}>
              <Text color="error">{`${p.name}: ${p.reason}`}</Text>
              {p.message ? <Text color="secondary">{` ${p.message}`}</Text> : null}
            </li>
          ))}
        </ul>
      )}
    </Stack>
  );
}

// RolloutProgress follows the Falco DaemonSet after Helm answered, until every pod runs the new rules or time runs out.
export function RolloutProgress({ datasourceUid, target, timeoutSeconds, onFinished }: Props) {
  const state = useRollout(datasourceUid, target, timeoutSeconds);
  const daemonSets = state.rollout?.daemonSets ?? [];
  const failing = daemonSets.flatMap((ds) => ds.failingPods.map((p) => p.name));

  useEffect(() => {
    if (state.outcome) {
      onFinished?.(state.outcome);
    }
    // Called once per outcome.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.outcome]);

  return (
    <div data-testid={deployTestIds.rollout}>
      <Stack direction="column" gap={1}>
        <Text element="h3" variant="h5">
          Rollout of the Falco pods
        </Text>
        {!state.outcome && (
          <>
            <LoadingBar width={400} />
            <Text color="secondary">{`Waiting for the DaemonSet to roll out (${state.elapsedSeconds} s of at most ${timeoutSeconds} s)…`}</Text>
          </>
        )}
        {daemonSets.map((ds) => (
          <DaemonSetLine key={`${ds.namespace}/${ds.name}`} ds={ds} />
        ))}
        {state.rollout?.guard && <GuardNotice guard={state.rollout.guard} />}
        {state.error && !state.outcome && (
          <Text color="warning">{`Could not read the rollout (${state.error.message}); trying again.`}</Text>
        )}
        {state.outcome === 'done' && (
          <Alert severity="success" title="Rollout complete">
            Every Falco pod runs the new rules.
          </Alert>
        )}
        {state.outcome === 'timeout' && state.rollout?.guard?.state !== 'rolledBack' && (
          <Alert severity="error" title={`The rollout did not finish within ${timeoutSeconds} s`}>
            {failing.length > 0 ? `Failing pods: ${failing.join(', ')}. ` : ''}
            Pods not yet replaced still run the previous rules. Read the failing pods&apos; logs (kubectl logs), or roll
            back from the history below.
          </Alert>
        )}
      </Stack>
    </div>
  );
}
