import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { of, throwError } from 'rxjs';
import { parse } from 'yaml';
import { store } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { RELEASE } from '../Deploy/deployTestHarness';
import { loadWorkingCopy, saveWorkingCopy, workingCopyKey } from '../RuleEditor/workingCopy';
import { RemoveException } from './RemoveException';
import { RuleRateAroundDeploy } from './RuleRateAroundDeploy';

// Only the Falco datasource's answers are stood in; the client, the components and @grafana/ui are real.
const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

const RULE = 'Terminal shell in container';
const UID = 'falco-test';

function answer(routes: Record<string, unknown>) {
  fetch.mockImplementation(({ url }: { url: string }) => {
    const path = url.replace(/^\/api\/datasources\/uid\/[^/]+\/resources\//, '').split('?')[0];
    const body = routes[path];
    if (body instanceof Error) {
      return throwError(() => ({ status: 502, data: { error: body.message, code: 'cluster_unreachable' } }));
    }
    return body === undefined ? throwError(() => ({ status: 404, data: { error: `no ${path}` } })) : of({ data: body });
  });
}

const fileWith = (names: string[]) => `# ours
- rule: ${RULE}
  exceptions:
${names.map((n) => `    - name: ${n}\n      fields: [proc.name]\n      values: [["bash, \\"x\\""]]`).join('\n')}
  override:
    exceptions: append
`;

beforeEach(() => {
  fetch.mockReset();
  window.localStorage.clear();
});

describe('rate before and after the last deploy', () => {
  test('says was and now, with the window of each figure', async () => {
    answer({
      'tuning/rule-rate': {
        rule: RULE,
        state: 'compared',
        deploy: {
          namespace: 'falco',
          name: 'falco',
          revision: 4,
          time: '2026-12-01T10:00:00Z',
          action: 'deploy',
          user: 'admin',
        },
        before: { from: '2026-12-01T08:00:00Z', to: '2026-12-01T10:00:00Z', events: 2480, perHour: 1240 },
        after: { from: '2026-12-01T10:00:00Z', to: '2026-12-01T12:00:00Z', events: 6, perHour: 3 },
        notes: [],
      },
    });
    render(<RuleRateAroundDeploy datasourceUid={UID} rule={RULE} />);
    expect(await screen.findByText('Was 1,240/h, now 3/h')).toBeInTheDocument();
    expect(screen.getByText(/the deploy of revision 4 by admin/)).toBeInTheDocument();
    expect(screen.getByText(/Before: 2,480 events from .* After: 6 events from/)).toBeInTheDocument();
    expect(fetch.mock.calls[0][0].url).toBe(
      `/api/datasources/uid/${UID}/resources/tuning/rule-rate?rule=Terminal+shell+in+container`
    );
  });

  test('says honestly when there is no deploy, or it is too recent', async () => {
    answer({ 'tuning/rule-rate': { rule: RULE, state: 'no_deploy', notes: [] } });
    const { unmount } = render(<RuleRateAroundDeploy datasourceUid={UID} rule={RULE} />);
    expect(await screen.findByText(/No deploy in the Falco release's history changed this rule/)).toBeInTheDocument();
    unmount();
    answer({
      'tuning/rule-rate': {
        rule: RULE,
        state: 'too_soon',
        deploy: {
          namespace: 'falco',
          name: 'falco',
          revision: 5,
          time: '2026-12-01T10:00:00Z',
          action: 'rollback',
          user: '',
        },
        notes: ['only 2m0s since the deploy; the comparison needs at least 10m0s after it'],
      },
    });
    render(<RuleRateAroundDeploy datasourceUid={UID} rule={RULE} />);
    expect(await screen.findByText(/the rollback of revision 5 at .*too recent to compare/)).toBeInTheDocument();
    expect(screen.getByText(/only 2m0s since the deploy/)).toBeInTheDocument();
  });

  test('an unreachable cluster is said, not hidden', async () => {
    answer({ 'tuning/rule-rate': new Error('the Kubernetes API server at https://k:6443 does not answer') });
    render(<RuleRateAroundDeploy datasourceUid={UID} rule={RULE} />);
    expect(await screen.findByText(/does not answer/)).toBeInTheDocument();
  });
});

describe('remove this exception', () => {
  test('removes one exception from the working copy and opens the Rules editor', async () => {
    saveWorkingCopy(UID, [
      { name: 'tuning.yaml', content: fileWith(['ci_runner', 'build_box']) },
      { name: 'other.yaml', content: '- list: x\n  items: [a]\n' },
    ]);
    answer({ 'deploy/releases': { releases: [RELEASE] }, 'deploy/release': { release: RELEASE, files: [] } });
    const push = jest.spyOn(locationService, 'push').mockImplementation(() => {});
    render(<RemoveException datasourceUid={UID} rule={RULE} />);
    await screen.findByRole('button', { name: 'Remove exception build_box' });
    expect(screen.getAllByText(/in tuning.yaml \(working copy\): proc.name = \["bash, \\"x\\""\]/)).toHaveLength(2);
    fireEvent.click(await screen.findByRole('button', { name: 'Remove exception ci_runner' }));
    const files = loadWorkingCopy(UID).files;
    expect(files.map((f) => f.name)).toEqual(['tuning.yaml', 'other.yaml']);
    const item = parse(files[0].content)[0];
    expect(item.exceptions.map((e: { name: string }) => e.name)).toEqual(['build_box']);
    expect(item.exceptions[0].values).toEqual([['bash, "x"']]);
    expect(files[0].content).toContain('# ours');
    expect(files[1].content).toBe('- list: x\n  items: [a]\n');
    expect(push).toHaveBeenCalledWith('/a/containersec-security-app/rules');
  });

  test('an exception only the deployed rules have starts the working copy from them, after asking about edits', async () => {
    saveWorkingCopy(UID, [{ name: 'mine.yaml', content: '- list: unsaved\n  items: [b]\n' }]);
    const deployed = [{ name: 'tuning.yaml', content: fileWith(['ci_runner']) }];
    answer({ 'deploy/releases': { releases: [RELEASE] }, 'deploy/release': { release: RELEASE, files: deployed } });
    const push = jest.spyOn(locationService, 'push').mockImplementation(() => {});
    render(<RemoveException datasourceUid={UID} rule={RULE} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Remove exception ci_runner' }));
    expect(await screen.findByText(/has edits that are not deployed \(mine.yaml\)/)).toBeInTheDocument();
    expect(loadWorkingCopy(UID).files[0].name).toBe('mine.yaml'); // nothing changed before the answer
    fireEvent.click(screen.getByRole('button', { name: 'Replace and remove' }));
    // ConfirmModal submits its form asynchronously (react-hook-form).
    await waitFor(() => expect(push).toHaveBeenCalled());
    const files = loadWorkingCopy(UID).files;
    // The last exception of an `exceptions: append` item goes with the item.
    expect(files).toEqual([{ name: 'tuning.yaml', content: '# ours\n\n[]\n' }]);
    expect(store.getObject(`${workingCopyKey(UID)}.cluster`)).toMatchObject({
      revision: RELEASE.revision,
      files: deployed,
    });
    expect(push).toHaveBeenCalled();
  });

  test('without exceptions or a cluster, it says so', async () => {
    answer({ 'deploy/releases': new Error('cluster unreachable') });
    render(<RemoveException datasourceUid={UID} rule={RULE} />);
    expect(
      await screen.findByText(/Neither the Rules editor's working copy nor the deployed custom rules/)
    ).toBeInTheDocument();
    expect(screen.getByText(/The deployed rules could not be read \(cluster unreachable\)/)).toBeInTheDocument();
  });
});
