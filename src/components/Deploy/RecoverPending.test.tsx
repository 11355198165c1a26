import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { config } from '@grafana/runtime';
import { OrgRole } from '@grafana/data';
import { callsTo, fail, fakeBackend, FakeBackend, ok, PLAN, RELEASE, settle } from './deployTestHarness';
import { RecoverPending } from './RecoverPending';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

let backend: FakeBackend;
beforeEach(() => {
  jest.useFakeTimers();
  config.bootData.user.orgRole = OrgRole.Admin;
  backend = fakeBackend();
  fetch.mockReset().mockImplementation((req) => backend.route(req));
});
afterEach(() => jest.useRealTimers());

const pending = { ...RELEASE, revision: 4, status: 'pending-upgrade' };

function renderRecover(target = pending, onError = jest.fn(), onRecovered = jest.fn()) {
  render(
    <RecoverPending
      datasourceUid="falco"
      target={target}
      timeoutSeconds={300}
      fileNames={[]}
      onGoTo={() => {}}
      onError={onError}
      onRecovered={onRecovered}
    />
  );
  return { onError, onRecovered };
}

test('a deployed release offers no recovery', () => {
  renderRecover({ ...RELEASE, status: 'deployed' });
  expect(screen.queryByRole('button', { name: /Preview the recovery/ })).not.toBeInTheDocument();
});

test('a pending release is recovered behind a preview: deploy/plan with recover, then deploy/recover', async () => {
  backend.answers['deploy/plan'] = ok({
    ...PLAN,
    baseRevision: 4,
    rollbackTo: 3,
    recover: true,
    warnings: [],
    confirmRequired: false,
  });
  backend.answers['deploy/recover'] = ok({
    release: { ...RELEASE, revision: 5, status: 'deployed' },
    description: 'recovered',
  });
  const { onRecovered } = renderRecover();
  expect(screen.getByText(/Revision 4 is pending-upgrade/)).toBeInTheDocument();
  fireEvent.click(screen.getByRole('button', { name: /Preview the recovery/ }));
  await settle();
  expect(callsTo(backend, 'deploy/plan')[0].data).toEqual({
    namespace: 'falco',
    name: 'falco',
    baseRevision: 4,
    recover: true,
  });
  fireEvent.click(screen.getByRole('button', { name: 'Recover to revision 3' }));
  const dialog = await screen.findByRole('dialog');
  fireEvent.click(within(dialog).getByRole('button', { name: 'Recover to revision 3' }));
  await settle(6);
  expect(callsTo(backend, 'deploy/recover')[0].data).toEqual({
    namespace: 'falco',
    name: 'falco',
    baseRevision: 4,
    confirmWarnings: false,
  });
  expect(onRecovered).toHaveBeenCalled();
});

test("the backend's refusal of the preview is reported, nothing is recovered", async () => {
  backend.answers['deploy/plan'] = fail(403, 'forbidden_role', 'recovering a release needs the Admin role');
  const { onError } = renderRecover();
  fireEvent.click(screen.getByRole('button', { name: /Preview the recovery/ }));
  await settle();
  expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'forbidden_role' }));
  expect(callsTo(backend, 'deploy/recover')).toHaveLength(0);
});
