import { useEffect, useState } from 'react';
import { DeployError, getRollout, ReleaseRef, Rollout, toDeployError } from '../../api/deploy';

// The contract's polling interval for GET deploy/rollout after an apply or a rollback.
export const ROLLOUT_POLL_MS = 2000;

export interface RolloutState {
  rollout?: Rollout;
  // The last poll's failure; polling goes on until the timeout, as a cluster hiccup is not a failed rollout.
  error?: DeployError;
  outcome?: 'done' | 'timeout';
  elapsedSeconds: number;
}

// useRollout polls the release's DaemonSet rollout every 2 s until it is done or the datasource's timeout passes.
export function useRollout(datasourceUid: string, target: ReleaseRef, timeoutSeconds: number): RolloutState {
  const [state, setState] = useState<RolloutState>({ elapsedSeconds: 0 });
  const { namespace, name } = target;

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = Date.now();
    const elapsed = () => Math.round((Date.now() - started) / 1000);

    const poll = async () => {
      try {
        const rollout = await getRollout(datasourceUid, { namespace, name });
        if (stopped) {
          return;
        }
        if (rollout.done) {
          setState({ rollout, outcome: 'done', elapsedSeconds: elapsed() });
          return;
        }
        // The backend's rollout guard gave up on this change and rolled it back: nothing more to follow.
        const guard = rollout.guard?.state;
        if (guard === 'rolledBack' || guard === 'rollbackFailed') {
          setState({ rollout, outcome: 'timeout', elapsedSeconds: elapsed() });
          return;
        }
        setState((s) => ({ ...s, rollout, error: undefined, elapsedSeconds: elapsed() }));
      } catch (e) {
        if (stopped) {
          return;
        }
        setState((s) => ({ ...s, error: toDeployError(e), elapsedSeconds: elapsed() }));
      }
      if (Date.now() - started >= timeoutSeconds * 1000) {
        setState((s) => ({ ...s, outcome: 'timeout', elapsedSeconds: elapsed() }));
        return;
      }
      timer = setTimeout(poll, ROLLOUT_POLL_MS);
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [datasourceUid, namespace, name, timeoutSeconds]);

  return state;
}
