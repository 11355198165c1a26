import { of, throwError } from 'rxjs';
import {
  applyDeploy,
  applyRollback,
  DeployError,
  getDeploySettings,
  getHistory,
  getHistoryDiff,
  getRelease,
  getRollout,
  listReleases,
  planDeploy,
  planRollback,
  toDeployError,
} from './deploy';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

beforeEach(() => fetch.mockReset().mockReturnValue(of({ data: {} })));

const BASE = '/api/datasources/uid/falco%2Fx/resources';
const target = { namespace: 'falco sec', name: 'falco&x' };
const files = [{ name: 'a.yaml', content: '- list: a\n  items: []\n' }];
const sent = () => fetch.mock.calls[0][0];

test('every deploy endpoint is called at its contract path, the uid and query values escaped, without Grafana popups', async () => {
  const cases: Array<[() => Promise<unknown>, string, string, unknown]> = [
    [() => getDeploySettings('falco/x'), 'GET', `${BASE}/settings`, undefined],
    [() => listReleases('falco/x'), 'GET', `${BASE}/deploy/releases`, undefined],
    [
      () => getRelease('falco/x', target),
      'GET',
      `${BASE}/deploy/release?namespace=falco+sec&name=falco%26x`,
      undefined,
    ],
    [
      () => planDeploy('falco/x', target, 3, files),
      'POST',
      `${BASE}/deploy/plan`,
      { namespace: 'falco sec', name: 'falco&x', baseRevision: 3, files },
    ],
    [
      () => planRollback('falco/x', target, 3, 1),
      'POST',
      `${BASE}/deploy/plan`,
      { namespace: 'falco sec', name: 'falco&x', baseRevision: 3, rollbackTo: 1 },
    ],
    [
      () => applyDeploy('falco/x', target, 3, files, true),
      'POST',
      `${BASE}/deploy/apply`,
      { namespace: 'falco sec', name: 'falco&x', baseRevision: 3, files, confirmWarnings: true },
    ],
    [
      () => applyRollback('falco/x', target, 3, 1, false),
      'POST',
      `${BASE}/deploy/rollback`,
      { namespace: 'falco sec', name: 'falco&x', baseRevision: 3, toRevision: 1, confirmWarnings: false },
    ],
    [
      () => getRollout('falco/x', target),
      'GET',
      `${BASE}/deploy/rollout?namespace=falco+sec&name=falco%26x`,
      undefined,
    ],
    [
      () => getHistory('falco/x', target),
      'GET',
      `${BASE}/deploy/history?namespace=falco+sec&name=falco%26x`,
      undefined,
    ],
    [
      () => getHistoryDiff('falco/x', target, 2, 3),
      'GET',
      `${BASE}/deploy/history/diff?namespace=falco+sec&name=falco%26x&from=2&to=3`,
      undefined,
    ],
  ];
  for (const [callIt, method, url, data] of cases) {
    fetch.mockReset().mockReturnValue(of({ data: { release: { revision: 1 }, baseRevision: 3 } }));
    await callIt();
    expect(sent()).toEqual({ url, method, data, showErrorAlert: false, showSuccessAlert: false });
  }
});

test('answers with missing lists come back as empty lists, so the page never trips over null', async () => {
  fetch.mockReturnValue(of({ data: { releases: null } }));
  await expect(listReleases('falco')).resolves.toEqual([]);
  fetch.mockReturnValue(of({ data: { release: { name: 'falco' }, files: null } }));
  await expect(getRelease('falco', target)).resolves.toEqual({ release: { name: 'falco' }, files: [] });
  fetch.mockReturnValue(
    of({ data: { release: {}, baseRevision: 3, warnings: [{ code: 'image_change', message: 'm' }] } })
  );
  await expect(planDeploy('falco', target, 3, files)).resolves.toMatchObject({
    files: [],
    objects: [],
    diagnostics: [],
    confirmRequired: true,
  });
  fetch.mockReturnValue(of({ data: { done: false, daemonSets: [{ name: 'falco', failingPods: null }] } }));
  await expect(getRollout('falco', target)).resolves.toEqual({
    done: false,
    daemonSets: [{ name: 'falco', failingPods: [] }],
  });
  fetch.mockReturnValue(of({ data: { revisions: [{ revision: 2, files: null }] } }));
  await expect(getHistory('falco', target)).resolves.toEqual([{ revision: 2, files: [] }]);
});

test("a refusal becomes a DeployError with the backend's message, code, status and details", async () => {
  const diagnostic = {
    severity: 'error',
    code: 'LOAD_ERR_YAML_PARSE',
    message: 'bad',
    file: 'a.yaml',
    line: 2,
    column: 3,
  };
  fetch.mockReturnValue(
    throwError(() => ({
      status: 422,
      data: { error: 'the rules have 1 error', code: 'invalid_rules', details: [diagnostic, 'not a diagnostic'] },
    }))
  );
  const err: DeployError = await planDeploy('falco', target, 3, files).catch((e) => e);
  expect(err).toBeInstanceOf(DeployError);
  expect(err).toMatchObject({ message: 'the rules have 1 error', status: 422, code: 'invalid_rules' });
  expect(err.diagnostics).toEqual([diagnostic]);
});

test("Grafana's own error and no answer at all are told apart", () => {
  expect(toDeployError({ status: 502, data: { message: 'Plugin unavailable' } })).toMatchObject({
    message: 'Plugin unavailable',
    status: 502,
    code: undefined,
    details: [],
  });
  expect(toDeployError({}).message).toBe('the Falco datasource did not answer');
  // Diagnostics are only read from an invalid_rules answer.
  expect(
    toDeployError({
      status: 409,
      data: { error: 'x', code: 'stale_revision', details: [{ file: 'a', line: 1, message: 'm' }] },
    }).diagnostics
  ).toEqual([]);
});

test('an apply the backend goes on with (202) is followed through deploy/operation to the release it left', async () => {
  const release = { namespace: 'falco', name: 'falco', revision: 4, status: 'deployed' };
  fetch
    .mockReturnValueOnce(of({ data: { operation: { id: 'op1', kind: 'apply', state: 'running' } } }))
    .mockReturnValueOnce(of({ data: { id: 'op1', kind: 'apply', state: 'running' } }))
    .mockReturnValueOnce(of({ data: { id: 'op1', kind: 'apply', state: 'succeeded', release, description: 'd' } }));
  await expect(applyDeploy('falco/x', target, 3, files, false, 1)).resolves.toEqual({ release, description: 'd' });
  expect(fetch.mock.calls[1][0].url).toBe(`${BASE}/deploy/operation?namespace=falco+sec&name=falco%26x`);

  fetch.mockReset();
  fetch
    .mockReturnValueOnce(of({ data: { operation: { id: 'op2', kind: 'rollback', state: 'running' } } }))
    .mockReturnValueOnce(
      of({
        data: {
          id: 'op2',
          kind: 'rollback',
          state: 'failed',
          error: { code: 'helm_failed', message: 'restored revision 3' },
        },
      })
    );
  const err = await applyRollback('falco/x', target, 3, 1, false, 1).catch((e) => e);
  expect(err).toBeInstanceOf(DeployError);
  expect(err.code).toBe('helm_failed');
  expect(err.message).toBe('restored revision 3');
});
