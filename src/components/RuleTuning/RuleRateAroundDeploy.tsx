import React, { useEffect, useState } from 'react';
import { dateTimeFormat } from '@grafana/data';
import { Alert, Stack, Text } from '@grafana/ui';
import { getRuleRate, RuleRate } from '../../api/ruleRate';

type State = { kind: 'loading' } | { kind: 'done'; rate: RuleRate } | { kind: 'error'; message: string };

const perHour = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 1 : 0 })}/h`;
const when = (iso: string) => dateTimeFormat(iso, { format: 'YYYY-MM-DD HH:mm' });

function deployName(r: RuleRate): string {
  const d = r.deploy!;
  return `the ${d.action} of revision ${d.revision}${d.user ? ` by ${d.user}` : ''} at ${when(d.time)}`;
}

// The rule's rate before and after the last deploy that changed it, from the stored events, with each figure's window.
export function RuleRateAroundDeploy({ datasourceUid, rule }: { datasourceUid: string; rule: string }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    getRuleRate(datasourceUid, rule).then(
      (rate) => live && setState({ kind: 'done', rate }),
      (e: Error) => live && setState({ kind: 'error', message: e.message })
    );
    return () => {
      live = false;
    };
  }, [datasourceUid, rule]);

  if (state.kind === 'loading') {
    return null;
  }
  if (state.kind === 'error') {
    return (
      <Alert severity="info" title="Rate before and after the last deploy: not available">
        {state.message}
      </Alert>
    );
  }
  const r = state.rate;
  return (
    <section aria-label="Rate before and after the last deploy">
      <Stack direction="column" gap={0.5}>
        {r.state === 'no_deploy' && (
          <Text color="secondary">
            No deploy in the Falco release&apos;s history changed this rule: there is no before and after to compare.
          </Text>
        )}
        {r.state === 'too_soon' && (
          <Text color="secondary">
            The last deploy that changed this rule was {deployName(r)}: too recent to compare; the figures need at least
            10 minutes after it.
          </Text>
        )}
        {r.state === 'compared' && r.before && r.after && (
          <>
            <Text element="p">
              <strong>
                Was {perHour(r.before.perHour)}, now {perHour(r.after.perHour)}
              </strong>{' '}
              around {deployName(r)}.
            </Text>
            <Text color="secondary" element="p">
              Before: {r.before.events.toLocaleString('en-US')} events from {when(r.before.from)} to {when(r.before.to)}
              . After: {r.after.events.toLocaleString('en-US')} events from {when(r.after.from)} to {when(r.after.to)}.
            </Text>
          </>
        )}
        {r.notes.map((n) => (
          <Text key={n} color="secondary" element="p">
            {n}
          </Text>
        ))}
      </Stack>
    </section>
  );
}
