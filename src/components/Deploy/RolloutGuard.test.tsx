import React from 'react';
import { render, screen } from '@testing-library/react';
import { advance, callsTo, fakeBackend, FakeBackend, ok, PLAN, rollout, settle } from './deployTestHarness';
import { PlanRestarts } from './PlanRestarts';
import { RolloutProgress } from './RolloutProgress';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

let backend: FakeBackend;
beforeEach(() => {
  jest.useFakeTimers();
  backend = fakeBackend();
  fetch.mockReset().mockImplementation((req) => backend.route(req));
});
afterEach(() => jest.useRealTimers());

const guard = (state: string, extra: object = {}) => ({
  revision: 5,
  previousRevision: 4,
  state,
  started: '2026-12-06T10:00:00Z',
  watched: ['DaemonSet falco/falco'],
  ...extra,
});

test("the backend's automatic rollback is shown and ends the rollout view", async () => {
  backend.answers['deploy/rollout'] = [
    ok({ ...rollout(false, 1), guard: guard('watching') }),
    ok({
      ...rollout(false, 1),
      guard: guard('rolledBack', {
        reason: 'DaemonSet falco/falco: pod falco-x1 is CrashLoopBackOff',
        rollbackRevision: 6,
      }),
    }),
  ];
  render(<RolloutProgress datasourceUid="falco" target={{ namespace: 'falco', name: 'falco' }} timeoutSeconds={300} />);
  await settle();
  expect(screen.getByText(/rolls back to revision 4 by itself/)).toBeInTheDocument();
  await advance(2000);
  expect(screen.getByText('Rolled back automatically to revision 4')).toBeInTheDocument();
  expect(screen.getByText(/pod falco-x1 is CrashLoopBackOff.*revision 6 in the history/)).toBeInTheDocument();
  expect(screen.queryByText(/did not finish within/)).not.toBeInTheDocument();
  await advance(10000);
  expect(callsTo(backend, 'deploy/rollout')).toHaveLength(2);
});

test('the plan says what restarts and which files the release never loads', () => {
  const plan = {
    ...PLAN,
    restarts: [
      {
        kind: 'DaemonSet',
        namespace: 'falco',
        name: 'falco',
        pods: 3,
        maxUnavailable: 1,
        strategy: 'RollingUpdate',
        message: 'Falco restarts on all 3 node(s) of DaemonSet falco/falco, one node at a time',
      },
    ],
    rulesFiles: { rulesFiles: ['/etc/falco/falco_rules.yaml'], loadsDefaults: true, loaded: [], notLoaded: ['a.yaml'] },
  };
  render(<PlanRestarts plan={plan} />);
  expect(screen.getByText(/one node at a time/)).toBeInTheDocument();
  expect(screen.getByText('Files this release never loads')).toBeInTheDocument();
  expect(screen.getByText(/a.yaml: the release's falco.rules_files does not include/)).toBeInTheDocument();
});
