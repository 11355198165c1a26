import React from 'react';
import { Alert, Text } from '@grafana/ui';
import type { GuardStatus } from '../../api/deploy';

// GuardNotice says what the backend's rollout guard saw and did for the last change applied from this Grafana.
export function GuardNotice({ guard }: { guard: GuardStatus }) {
  switch (guard.state) {
    case 'watching':
      return (
        <Text color="secondary">
          {`Grafana's backend watches ${guard.watched.join(', ')}: if new pods crash-loop or are not ready in time, it rolls back to revision ${guard.previousRevision} by itself.`}
        </Text>
      );
    case 'rolledBack':
      return (
        <Alert severity="error" title={`Rolled back automatically to revision ${guard.previousRevision}`}>
          {`Revision ${guard.revision} did not roll out: ${guard.reason ?? 'no reason recorded'}. The rollback is revision ${guard.rollbackRevision ?? '?'} in the history below.`}
        </Alert>
      );
    case 'rollbackFailed':
      return (
        <Alert severity="error" title="The automatic rollback failed">
          {guard.reason ?? ''}
        </Alert>
      );
    case 'superseded':
      return <Text color="secondary">{`The rollout guard stopped: ${guard.reason ?? ''}`}</Text>;
    default:
      return null;
  }
}
