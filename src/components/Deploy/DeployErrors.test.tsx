import { throwError } from 'rxjs';
import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { OrgRole } from '@grafana/data';
import { config } from '@grafana/runtime';
import { DeployError } from '../../api/deploy';
import { editors, fakeMonaco, resetFakeMonaco } from '../RuleEditor/fakeCodeEditor';
import { describeDeployError } from './deployErrors';
import { callsTo, fail, fakeBackend, FakeBackend, ok, PLAN, RELEASE, settle } from './deployTestHarness';
import { RulesWorkspace } from './RulesWorkspace';
import { deployTestIds } from './testIds';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));
jest.mock('@grafana/ui', () => ({
  ...jest.requireActual('@grafana/ui'),
  CodeEditor: jest.requireActual('../RuleEditor/fakeCodeEditor').FakeCodeEditor,
}));

jest.setTimeout(30000);
let backend: FakeBackend;

beforeEach(() => {
  jest.useFakeTimers();
  window.localStorage.clear();
  resetFakeMonaco();
  config.bootData.user.orgRole = OrgRole.Admin;
  backend = fakeBackend();
  fetch.mockReset().mockImplementation((req) => backend.route(req));
});
afterEach(() => jest.useRealTimers());

async function renderWorkspace() {
  render(<RulesWorkspace datasourceUid="falco" />);
  await settle();
}

async function preview() {
  fireEvent.click(screen.getByTestId(deployTestIds.preview));
  await settle();
}

async function previewAndDeploy() {
  backend.answers['deploy/plan'] = ok({ ...PLAN, warnings: [], confirmRequired: false });
  await renderWorkspace();
  await preview();
  fireEvent.click(screen.getByTestId(deployTestIds.deploy));
  const dialog = await screen.findByRole('dialog');
  fireEvent.click(within(dialog).getByRole('button', { name: 'Deploy' }));
  await settle();
}

const errorAlert = () => screen.getByTestId(deployTestIds.error);
const settingsLink = () => within(errorAlert()).getByRole('link', { name: /Open the Falco datasource settings/ });

// Each code of the contract's error list, answered where the backend gives it, shown in words with its way out.

test('403 kube_forbidden: the backend message naming verb and resource, and what to grant', async () => {
  const msg = "the datasource's Kubernetes credentials cannot patch configmaps in namespace falco";
  backend.answers['deploy/plan'] = fail(403, 'kube_forbidden', msg);
  await renderWorkspace();
  await preview();
  expect(errorAlert()).toHaveTextContent("The datasource's Kubernetes credentials lack a permission");
  expect(errorAlert()).toHaveTextContent(msg);
  expect(errorAlert()).toHaveTextContent('Grant that verb on that resource');
  expect(settingsLink()).toHaveAttribute('href', '/connections/datasources/edit/falco');
});

test('502 cluster_unreachable while listing releases: the target says so and keeps the export', async () => {
  backend.answers['deploy/releases'] = fail(502, 'cluster_unreachable', 'dial tcp 10.96.0.1:443: i/o timeout');
  await renderWorkspace();
  const target = screen.getByTestId(deployTestIds.target);
  expect(target).toHaveTextContent('The cluster cannot be reached');
  expect(target).toHaveTextContent('dial tcp 10.96.0.1:443: i/o timeout');
  expect(within(target).getByRole('button', { name: 'Export the working copy' })).toBeInTheDocument();
  expect(settingsLink()).toBeInTheDocument();
  expect(screen.queryByTestId(deployTestIds.preview)).not.toBeInTheDocument();

  // The cluster answers again: Try again connects and offers the release.
  backend.answers['deploy/releases'] = ok({ releases: [RELEASE] });
  fireEvent.click(within(target).getByRole('button', { name: 'Try again' }));
  await settle();
  expect(target).toHaveTextContent('Connected through');
  expect(screen.getByTestId(deployTestIds.preview)).toBeInTheDocument();
});

test('400 cluster_not_configured: the datasource settings to fill in, and the export', async () => {
  backend.answers['deploy/releases'] = fail(400, 'cluster_not_configured', 'no Kubernetes access is configured');
  await renderWorkspace();
  expect(errorAlert()).toHaveTextContent('No cluster is configured for this Falco datasource');
  expect(errorAlert()).toHaveTextContent('Deploying needs Kubernetes access in the datasource settings');
  expect(settingsLink()).toHaveAttribute('href', '/connections/datasources/edit/falco');
  expect(within(errorAlert()).getByRole('button', { name: 'Export the working copy' })).toBeInTheDocument();
  // Editing, validating and exporting work without a cluster: a note above the editor, not a red error box.
  expect(within(errorAlert()).getByTestId('data-testid Alert info')).toBeInTheDocument();
  expect(within(errorAlert()).queryByTestId('data-testid Alert error')).not.toBeInTheDocument();
  expect(errorAlert()).toHaveTextContent('Writing, validating and exporting rules work without one');
});

test.each([
  [503, 'plugin unavailable'],
  [502, 'Bad Gateway'],
  [undefined, 'Failed to fetch'],
])('a backend that does not answer (%s %s) is called that, not "refused"', async (status, message) => {
  backend.answers['deploy/releases'] = () =>
    throwError(() => (status ? { status, data: { message } } : new Error(message)));
  await renderWorkspace();
  expect(errorAlert()).toHaveTextContent("The Falco datasource's backend is not answering");
  expect(errorAlert()).not.toHaveTextContent('refused');
  expect(errorAlert()).toHaveTextContent(message);
  expect(errorAlert()).toHaveTextContent('nothing was read or changed');
});

test('400 cluster_not_configured from invalid deploy settings: each problem to fix', async () => {
  const problem = 'cluster access is "kubeconfig" but no kubeconfig is saved in the secure settings';
  backend.answers.settings = ok({ kubeAccess: 'kubeconfig', deployProblems: [problem] });
  backend.answers['deploy/releases'] = fail(
    400,
    'cluster_not_configured',
    `the deploy settings are invalid: ${problem}`
  );
  await renderWorkspace();
  expect(errorAlert()).toHaveTextContent("The Falco datasource's deploy settings need fixing");
  expect(errorAlert()).toHaveTextContent(`Fix in the datasource settings: ${problem}.`);
  expect(settingsLink()).toBeInTheDocument();
});

test('502 chart_unavailable: which chart source to configure, with a link to the datasource settings', async () => {
  backend.answers.settings = ok({ chartSource: 'repository', chartRepositoryUrl: 'https://charts.internal/falco' });
  backend.answers['deploy/plan'] = fail(
    502,
    'chart_unavailable',
    'chart falco 9.1.0 is not in https://charts.internal/falco/index.yaml'
  );
  await renderWorkspace();
  await preview();
  expect(errorAlert()).toHaveTextContent('The Falco chart cannot be obtained');
  expect(errorAlert()).toHaveTextContent('chart falco 9.1.0 is not in https://charts.internal/falco/index.yaml');
  expect(errorAlert()).toHaveTextContent('fetches the chart from the repository https://charts.internal/falco');
  expect(settingsLink()).toHaveAttribute('href', '/connections/datasources/edit/falco');
});

test('chart_unavailable names the source that applies: none set, or an OCI reference', () => {
  const e = new DeployError('no chart', 502, 'chart_unavailable');
  expect(describeDeployError(e, { chartSource: 'none' }).hint).toMatch(
    /no chart source\. Set a chart repository \(https:\/\/falcosecurity\.github\.io\/charts.*or an OCI reference \(oci:\/\/ghcr\.io\/falcosecurity\/charts\/falco\)/
  );
  expect(describeDeployError(e, { chartSource: 'oci', chartOciRef: 'oci://registry.internal/falco' }).hint).toContain(
    'pulls the chart from oci://registry.internal/falco'
  );
  expect(describeDeployError(e, {}).hint).toContain('repository https://falcosecurity.github.io/charts');
});

test('422 invalid_rules: the problems listed, marked in the editor, and the cursor on the first one', async () => {
  const diagnostic = {
    severity: 'error',
    code: 'LOAD_UNKNOWN_FILTER',
    codedesc: 'Unknown field or event-type in condition or output',
    message: 'nonexistent field proc.nme',
    item_type: 'rule',
    item_name: 'Shell in a container',
    file: 'custom_rules.yaml',
    line: 4,
    column: 14,
  };
  backend.answers['deploy/plan'] = fail(422, 'invalid_rules', 'the rules have 1 error', [diagnostic]);
  await renderWorkspace();
  await preview();
  expect(errorAlert()).toHaveTextContent('The rules have errors: nothing was deployed');
  const inAlert = within(errorAlert()).getByText('custom_rules.yaml:4:14');
  const editor = editors[editors.length - 1];
  expect(editor.setPosition).toHaveBeenCalledWith({ lineNumber: 4, column: 14 });
  const markers = fakeMonaco.editor.setModelMarkers.mock.calls.at(-1)![2];
  expect(markers).toEqual([
    expect.objectContaining({ startLineNumber: 4, startColumn: 14, code: 'LOAD_UNKNOWN_FILTER' }),
  ]);
  // Clicking the problem goes there again.
  editor.setPosition.mockClear();
  fireEvent.click(inAlert);
  await settle();
  expect(editors[editors.length - 1].setPosition).toHaveBeenCalledWith({ lineNumber: 4, column: 14 });
  // An edit makes the reported problem stale: its marker goes.
  fireEvent.change(screen.getByLabelText('Rules file'), { target: { value: '- list: a\n  items: []\n' } });
  await settle();
  expect(fakeMonaco.editor.setModelMarkers.mock.calls.at(-1)![2]).toEqual([]);
});

test('409 stale_revision: says who moved the release, and Reload previews again against the new revision', async () => {
  const msg = 'release falco/falco is at revision 4 now, not 3: upgraded by helm (user unknown)';
  backend.answers['deploy/plan'] = [fail(409, 'stale_revision', msg), ok({ ...PLAN, baseRevision: 4 })];
  await renderWorkspace();
  await preview();
  expect(errorAlert()).toHaveTextContent('The release changed since your preview');
  expect(errorAlert()).toHaveTextContent(msg);
  backend.answers['deploy/releases'] = ok({ releases: [{ ...RELEASE, revision: 4 }] });
  fireEvent.click(within(errorAlert()).getByRole('button', { name: 'Reload the release' }));
  await settle(5);
  expect(callsTo(backend, 'deploy/releases')).toHaveLength(2);
  expect(callsTo(backend, 'deploy/plan')[1].data.baseRevision).toBe(4);
  expect(screen.queryByTestId(deployTestIds.error)).not.toBeInTheDocument();
  expect(screen.getByTestId(deployTestIds.plan)).toHaveTextContent('revision 4');
});

test('409 release_pending: the way out (wait, or helm rollback)', async () => {
  const msg = 'release falco/falco is pending-upgrade since 14:02: another operation is in progress';
  backend.answers['deploy/plan'] = fail(409, 'release_pending', msg);
  await renderWorkspace();
  await preview();
  expect(errorAlert()).toHaveTextContent('Another Helm operation holds the release');
  expect(errorAlert()).toHaveTextContent(msg);
  expect(errorAlert()).toHaveTextContent('Wait for the running install, upgrade or rollback to finish');
  expect(errorAlert()).toHaveTextContent('helm rollback');
  expect(within(errorAlert()).getByRole('button', { name: 'Reload the release' })).toBeInTheDocument();
});

test('409 gitops_managed: says which tool, and the export opens from the alert', async () => {
  const msg = 'release falco/falco is managed by Argo CD (Application argocd/falco)';
  backend.answers['deploy/plan'] = fail(409, 'gitops_managed', msg);
  await renderWorkspace();
  await preview();
  expect(errorAlert()).toHaveTextContent('This release is managed by GitOps');
  expect(errorAlert()).toHaveTextContent(msg);
  fireEvent.click(within(errorAlert()).getByRole('button', { name: 'Export the working copy' }));
  await settle();
  expect(screen.getByTestId(deployTestIds.export)).toHaveTextContent('customRules:');
});

test('403 forbidden_role on deploy: only an Admin deploys, whatever the browser showed', async () => {
  const msg = 'Deploying rules needs the Grafana Admin role; you are Editor';
  backend.answers['deploy/apply'] = fail(403, 'forbidden_role', msg);
  await previewAndDeploy();
  expect(errorAlert()).toHaveTextContent('Only an organization Admin can deploy rules');
  expect(errorAlert()).toHaveTextContent(msg);
  expect(screen.queryByTestId(deployTestIds.rollout)).not.toBeInTheDocument();
});

test('409 confirm_required on deploy: tick the warnings', async () => {
  backend.answers['deploy/apply'] = fail(409, 'confirm_required', 'the plan has 1 warning to confirm');
  await previewAndDeploy();
  expect(errorAlert()).toHaveTextContent('The preview has warnings to confirm');
  expect(errorAlert()).toHaveTextContent('Tick every warning in the preview');
});

test('404 release_not_found on Load from cluster: the release is gone, reload the list', async () => {
  backend.answers['deploy/release'] = fail(404, 'release_not_found', 'release falco/falco not found');
  await renderWorkspace();
  fireEvent.click(screen.getByTestId(deployTestIds.loadFromCluster));
  await settle();
  expect(errorAlert()).toHaveTextContent('The Falco release is not there any more');
  expect(errorAlert()).toHaveTextContent('release falco/falco not found');
  backend.answers['deploy/releases'] = ok({ releases: [] });
  fireEvent.click(within(errorAlert()).getByRole('button', { name: 'Reload the release' }));
  await settle();
  expect(screen.getByTestId(deployTestIds.target)).toHaveTextContent('No Falco release found');
});

test('an answer without a known code still shows its message and status', async () => {
  backend.answers['deploy/plan'] = fail(500, undefined, 'helm template failed: nil pointer evaluating .Values.x');
  await renderWorkspace();
  await preview();
  expect(errorAlert()).toHaveTextContent('The Falco datasource refused the request');
  expect(errorAlert()).toHaveTextContent('helm template failed: nil pointer evaluating .Values.x (HTTP 500)');
});

// Codes the backend added to the contract ("Additions by the backend").

test("422 server_rejected: the API server's refusal quoted, and nothing deployed", async () => {
  const msg =
    'admission webhook "validate.kyverno.svc" denied the request: DaemonSet falco/falco: privileged containers are not allowed';
  backend.answers['deploy/plan'] = fail(422, 'server_rejected', msg);
  await renderWorkspace();
  await preview();
  expect(errorAlert()).toHaveTextContent(
    "The cluster's API server refused the change in a dry run: nothing was deployed"
  );
  expect(errorAlert()).toHaveTextContent(msg);
  expect(errorAlert()).toHaveTextContent('an admission policy');
});

test('502 helm_failed: Helm quoted, with the way to a rollback', async () => {
  const msg = 'UPGRADE FAILED: context deadline exceeded';
  backend.answers['deploy/apply'] = fail(502, 'helm_failed', msg);
  await previewAndDeploy();
  expect(errorAlert()).toHaveTextContent('Helm failed');
  expect(errorAlert()).toHaveTextContent(msg);
  expect(errorAlert()).toHaveTextContent('roll back to the last deployed one');
  expect(screen.queryByTestId(deployTestIds.rollout)).not.toBeInTheDocument();
});

test('400 bad_request: the message and the status', async () => {
  backend.answers['deploy/plan'] = fail(
    400,
    'bad_request',
    'file "a b.yaml": a rules file name must be a ConfigMap key'
  );
  await renderWorkspace();
  await preview();
  expect(errorAlert()).toHaveTextContent('The Falco datasource refused the request');
  expect(errorAlert()).toHaveTextContent('file "a b.yaml": a rules file name must be a ConfigMap key (HTTP 400)');
});

test('confirm_required lists the warnings the backend says are unconfirmed', async () => {
  backend.answers['deploy/apply'] = fail(409, 'confirm_required', 'the plan has 1 warning to confirm', [
    { code: 'chart_version_change', message: 'chart falco 9.1.0 becomes 9.2.0' },
  ]);
  await previewAndDeploy();
  expect(within(errorAlert()).getByRole('list', { name: 'Warnings to confirm' })).toHaveTextContent(
    'chart falco 9.1.0 becomes 9.2.0'
  );
});
