import React from 'react';
import { fireEvent, getDefaultNormalizer, render, screen, within } from '@testing-library/react';
import { OrgRole } from '@grafana/data';
import { config } from '@grafana/runtime';
import { resetFakeMonaco } from '../RuleEditor/fakeCodeEditor';
import { STARTER_FILE } from '../RuleEditor/workingCopy';
import { baselineKey } from './baseline';
import {
  advance,
  callsTo,
  CLUSTER_FILES,
  fakeBackend,
  FakeBackend,
  fail,
  ok,
  PLAN,
  RELEASE,
  rollout,
  settle,
} from './deployTestHarness';
import { RulesWorkspace } from './RulesWorkspace';
import { deployTestIds } from './testIds';
import { ROLLOUT_POLL_MS } from './useRollout';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));
jest.mock('@grafana/ui', () => ({
  ...jest.requireActual('@grafana/ui'),
  CodeEditor: jest.requireActual('../RuleEditor/fakeCodeEditor').FakeCodeEditor,
}));

let backend: FakeBackend;
// The whole workspace (editor, target, deploy, history) renders in each test; a shared 2-core machine needs time.
jest.setTimeout(30000);
const exact = { normalizer: getDefaultNormalizer({ collapseWhitespace: false, trim: false }) };

beforeEach(() => {
  jest.useFakeTimers();
  window.localStorage.clear();
  resetFakeMonaco();
  config.bootData.user.orgRole = OrgRole.Admin;
  backend = fakeBackend();
  fetch.mockReset().mockImplementation((req) => backend.route(req));
});
afterEach(() => jest.useRealTimers());

// jsdom's Blob has no text(); its FileReader reads one.
function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsText(blob);
  });
}

async function renderWorkspace() {
  render(<RulesWorkspace datasourceUid="falco" />);
  await settle();
}

const editorText = () => (screen.getByLabelText('Rules file') as HTMLTextAreaElement).value;
const deployButton = () => screen.getByTestId(deployTestIds.deploy);

async function preview() {
  fireEvent.click(screen.getByTestId(deployTestIds.preview));
  await settle();
}

async function confirmInDialog(button: string) {
  const dialog = await screen.findByRole('dialog');
  fireEvent.click(within(dialog).getByRole('button', { name: button }));
  await settle();
}

test('the target shows the cluster connection and the release; Load from cluster makes its rules the working copy', async () => {
  await renderWorkspace();
  const target = screen.getByTestId(deployTestIds.target);
  expect(target).toHaveTextContent(
    "Connected through Grafana's in-cluster service account: 1 Falco release in namespace falco."
  );
  expect(within(target).getByDisplayValue('falco/falco')).toBeInTheDocument();

  // The untouched example file is no local edit: loading replaces it without asking.
  fireEvent.click(screen.getByTestId(deployTestIds.loadFromCluster));
  await settle();
  expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  expect(callsTo(backend, 'deploy/release')[0].url).toBe(
    '/api/datasources/uid/falco/resources/deploy/release?namespace=falco&name=falco'
  );
  expect(screen.getByRole('tab', { name: 'cluster_rules.yaml' })).toBeInTheDocument();
  expect(editorText()).toBe(CLUSTER_FILES[0].content);
  expect(target).toHaveTextContent('Loaded 1 rules file from falco/falco revision 3.');
  expect(JSON.parse(window.localStorage.getItem(baselineKey('falco'))!)).toMatchObject({
    revision: 3,
    files: CLUSTER_FILES,
  });
});

test('Load from cluster asks before it replaces local edits, and keeps them when the user declines', async () => {
  await renderWorkspace();
  fireEvent.change(screen.getByLabelText('Rules file'), { target: { value: '- list: mine\n  items: [x]\n' } });
  fireEvent.click(screen.getByTestId(deployTestIds.loadFromCluster));
  await settle();
  const dialog = screen.getByRole('dialog');
  expect(dialog).toHaveTextContent('Your local edits to custom_rules.yaml would be lost');
  fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
  await settle();
  expect(editorText()).toBe('- list: mine\n  items: [x]\n');

  fireEvent.click(screen.getByTestId(deployTestIds.loadFromCluster));
  await confirmInDialog("Replace with the cluster's rules");
  expect(editorText()).toBe(CLUSTER_FILES[0].content);

  // Edits made after loading are measured against what was loaded.
  fireEvent.change(screen.getByLabelText('Rules file'), { target: { value: 'changed' } });
  fireEvent.click(screen.getByTestId(deployTestIds.loadFromCluster));
  await settle();
  expect(screen.getByRole('dialog')).toHaveTextContent('Your local edits to cluster_rules.yaml would be lost');
});

test('preview, tick every warning, deploy, then follow the rollout to done', async () => {
  backend.answers['deploy/rollout'] = [ok(rollout(false, 1)), ok(rollout(false, 2)), ok(rollout(true, 3))];
  await renderWorkspace();
  await preview();

  expect(callsTo(backend, 'deploy/plan')[0]).toMatchObject({
    method: 'POST',
    data: { namespace: 'falco', name: 'falco', baseRevision: 3, files: [STARTER_FILE] },
  });
  const plan = screen.getByTestId(deployTestIds.plan);
  // Each file's diff, coloured by line.
  const added = within(plan).getByText('+- rule: Shell in a container');
  expect(added).toHaveAttribute('data-diff', 'added');
  expect(within(plan).getByText('-- list: cluster_list')).toHaveAttribute('data-diff', 'removed');
  // Every rendered object that changes, the unexpected ones marked.
  const objects = within(plan).getByRole('region', { name: 'Kubernetes objects' });
  expect(objects).toHaveTextContent('ConfigMap falco/falco-rulesmodifiedexpected');
  expect(objects).toHaveTextContent('DaemonSet falco/falcomodifiedunexpected');
  expect(objects).toHaveTextContent('Deployment falco/falco-falcosidekickremovedunexpected');
  // What the API server's dry run said, and the release's values diff, when the backend sends them.
  expect(plan).toHaveTextContent("The cluster's API server accepted every changed object in a dry run.");
  expect(plan).toHaveTextContent('Helm values of the release (helm get values)');

  expect(deployButton()).toBeDisabled();
  expect(screen.getByText('Tick all 2 warnings above to enable Deploy.')).toBeInTheDocument();
  fireEvent.click(screen.getByLabelText(PLAN.warnings[0].message));
  expect(deployButton()).toBeDisabled();
  fireEvent.click(screen.getByLabelText(PLAN.warnings[1].message));
  expect(deployButton()).toBeEnabled();

  fireEvent.click(deployButton());
  expect(callsTo(backend, 'deploy/apply')).toHaveLength(0);
  await confirmInDialog('Deploy');
  expect(callsTo(backend, 'deploy/apply')[0].data).toEqual({
    namespace: 'falco',
    name: 'falco',
    baseRevision: 3,
    files: [STARTER_FILE],
    confirmWarnings: true,
  });
  expect(screen.getByTestId(deployTestIds.result)).toHaveTextContent(
    'Helm answered: falco/falco is at revision 4 (deployed)'
  );

  const progress = screen.getByTestId(deployTestIds.rollout);
  expect(progress).toHaveTextContent('DaemonSet falco/falco: 1 updated, 1 ready, 3 desired');
  await advance(ROLLOUT_POLL_MS);
  expect(progress).toHaveTextContent('DaemonSet falco/falco: 2 updated, 2 ready, 3 desired');
  await advance(ROLLOUT_POLL_MS);
  expect(progress).toHaveTextContent('Rollout complete');
  expect(callsTo(backend, 'deploy/rollout')).toHaveLength(3);
  await advance(ROLLOUT_POLL_MS * 3);
  expect(callsTo(backend, 'deploy/rollout')).toHaveLength(3);
  // The history shows the new revision: it was asked again after the deploy.
  expect(callsTo(backend, 'deploy/history').length).toBeGreaterThanOrEqual(2);
});

test("a failing pod is named, and the rollout gives up at the datasource's timeout", async () => {
  backend.answers.settings = ok({ rolloutTimeoutSeconds: 6 });
  backend.answers['deploy/plan'] = ok({ ...PLAN, warnings: [], confirmRequired: false });
  backend.answers['deploy/rollout'] = ok(
    rollout(false, 1, [
      { name: 'falco-x7k2p', reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' },
    ])
  );
  await renderWorkspace();
  await preview();
  fireEvent.click(deployButton());
  await confirmInDialog('Deploy');
  expect(callsTo(backend, 'deploy/apply')[0].data.confirmWarnings).toBe(false);

  const progress = screen.getByTestId(deployTestIds.rollout);
  expect(within(progress).getByRole('list', { name: 'Failing pods of falco' })).toHaveTextContent(
    'falco-x7k2p: CrashLoopBackOff back-off 40s restarting failed container'
  );
  await advance(ROLLOUT_POLL_MS);
  await advance(ROLLOUT_POLL_MS);
  expect(progress).not.toHaveTextContent('did not finish');
  await advance(ROLLOUT_POLL_MS);
  expect(progress).toHaveTextContent('The rollout did not finish within 6 s');
  expect(progress).toHaveTextContent('Failing pods: falco-x7k2p.');
  const polls = callsTo(backend, 'deploy/rollout').length;
  expect(polls).toBe(4);
  await advance(ROLLOUT_POLL_MS * 3);
  expect(callsTo(backend, 'deploy/rollout')).toHaveLength(polls);
});

test('an edit after the preview blocks Deploy until the new working copy is previewed', async () => {
  backend.answers['deploy/plan'] = ok({ ...PLAN, warnings: [], confirmRequired: false });
  await renderWorkspace();
  await preview();
  expect(deployButton()).toBeEnabled();
  fireEvent.change(screen.getByLabelText('Rules file'), { target: { value: '- list: later\n  items: []\n' } });
  expect(deployButton()).toBeDisabled();
  expect(screen.getByText(/The working copy changed since this preview/)).toBeInTheDocument();
  await preview();
  expect(callsTo(backend, 'deploy/plan')[1].data.files).toEqual([
    { name: 'custom_rules.yaml', content: '- list: later\n  items: []\n' },
  ]);
  expect(deployButton()).toBeEnabled();
});

test('a plan that changes nothing says so and offers no Deploy', async () => {
  backend.answers['deploy/plan'] = ok({
    ...PLAN,
    files: [{ name: 'custom_rules.yaml', change: 'unchanged', diff: '' }],
    objects: [],
    warnings: [],
  });
  await renderWorkspace();
  await preview();
  expect(screen.getByText('The release already runs exactly these rules.')).toBeInTheDocument();
  expect(deployButton()).toBeDisabled();
});

test('someone without the Admin role sees why Deploy is off, and can still preview', async () => {
  config.bootData.user.orgRole = OrgRole.Viewer;
  backend.answers['deploy/plan'] = ok({ ...PLAN, warnings: [], confirmRequired: false });
  await renderWorkspace();
  await preview();
  expect(screen.getByTestId(deployTestIds.plan)).toBeInTheDocument();
  expect(deployButton()).toBeDisabled();
  expect(screen.getByTestId(deployTestIds.permission)).toHaveTextContent(
    'need the Admin role in this organization; you are Viewer'
  );
});

test('the history lists revisions with time, user, status and files, and diffs any two of them', async () => {
  backend.answers['deploy/history/diff'] = ok({
    files: [
      {
        name: 'network.yaml',
        change: 'modified',
        diff: '@@ -1,2 +1,2 @@\n - list: ports\n-  items: [22]\n+  items: [22, 2222]\n',
      },
    ],
  });
  await renderWorkspace();
  const history = screen.getByTestId(deployTestIds.history);
  const rows = within(history).getAllByRole('row');
  expect(rows).toHaveLength(4);
  expect(rows[1]).toHaveTextContent('3');
  expect(rows[1]).toHaveTextContent('admin');
  expect(rows[1]).toHaveTextContent('custom_rules.yaml');
  expect(rows[2]).toHaveTextContent('alice');
  expect(rows[2]).toHaveTextContent('superseded');
  expect(rows[3]).toHaveTextContent('not from Grafana');
  expect(rows[3]).toHaveTextContent('9.0.0');

  const compare = within(history).getByRole('button', { name: 'Tick two revisions to compare them' });
  expect(compare).toBeDisabled();
  fireEvent.click(within(history).getByLabelText('Compare revision 3'));
  fireEvent.click(within(history).getByLabelText('Compare revision 1'));
  fireEvent.click(within(history).getByRole('button', { name: 'Compare revisions 1 and 3' }));
  await settle();
  expect(callsTo(backend, 'deploy/history/diff')[0].url).toBe(
    '/api/datasources/uid/falco/resources/deploy/history/diff?namespace=falco&name=falco&from=1&to=3'
  );
  const diff = screen.getByTestId(deployTestIds.historyDiff);
  expect(diff).toHaveTextContent('Custom rules from revision 1 to 3');
  expect(within(diff).getByText('+  items: [22, 2222]', exact)).toHaveAttribute('data-diff', 'added');
  expect(within(diff).getByText('-  items: [22]', exact)).toHaveAttribute('data-diff', 'removed');
});

test('rolling back goes through the same preview, then Helm, then the rollout', async () => {
  const rollbackPlan = {
    ...PLAN,
    files: [PLAN.files[1]],
    objects: [PLAN.objects[0]],
    warnings: [],
    confirmRequired: false,
  };
  backend.answers['deploy/plan'] = ok(rollbackPlan);
  await renderWorkspace();
  const history = screen.getByTestId(deployTestIds.history);
  // Every revision but the current one can be rolled back to.
  const buttons = within(history).getAllByRole('button', { name: 'Roll back to this revision' });
  expect(buttons).toHaveLength(2);
  fireEvent.click(buttons[0]);
  await settle();
  expect(callsTo(backend, 'deploy/plan')[0].data).toEqual({
    namespace: 'falco',
    name: 'falco',
    baseRevision: 3,
    rollbackTo: 2,
  });
  expect(within(history).getByTestId(deployTestIds.plan)).toHaveTextContent('cluster_rules.yaml');
  fireEvent.click(within(history).getByRole('button', { name: 'Roll back to revision 2' }));
  expect(callsTo(backend, 'deploy/rollback')).toHaveLength(0);
  await confirmInDialog('Roll back to revision 2');
  expect(callsTo(backend, 'deploy/rollback')[0].data).toEqual({
    namespace: 'falco',
    name: 'falco',
    baseRevision: 3,
    toRevision: 2,
    confirmWarnings: false,
  });
  expect(within(history).getByTestId(deployTestIds.result)).toHaveTextContent('falco/falco is at revision 4');
  expect(within(history).getByTestId(deployTestIds.rollout)).toHaveTextContent('Rollout complete');
});

test('a GitOps-managed release is not deployed from Grafana: the page says which tool and offers the export', async () => {
  backend.answers['deploy/releases'] = ok({
    releases: [{ ...RELEASE, managedBy: { kind: 'flux', detail: 'HelmRelease flux-system/falco' } }],
  });
  backend.answers['deploy/plan'] = ok({ ...PLAN, warnings: [], confirmRequired: false });
  await renderWorkspace();
  const target = screen.getByTestId(deployTestIds.target);
  expect(target).toHaveTextContent('Managed by Flux: deploy from your Git repository');
  expect(target).toHaveTextContent('HelmRelease flux-system/falco owns this release');
  expect(screen.queryByRole('button', { name: 'Roll back to this revision' })).not.toBeInTheDocument();

  await preview();
  expect(deployButton()).toBeDisabled();
  expect(screen.getByText(/GitOps manages this release/)).toBeInTheDocument();

  fireEvent.click(within(target).getByRole('button', { name: 'Export the working copy' }));
  await settle();
  expect(screen.getByLabelText('Export')).toHaveTextContent('customRules:');
});

test('the export works without any cluster: values, Flux, Argo CD, ConfigMap, copy and downloads', async () => {
  backend.answers.settings = ok({});
  backend.answers['deploy/releases'] = fail(400, 'cluster_not_configured', 'no cluster is configured');
  await renderWorkspace();
  // The connection's error offers the export; so does the collapsed section below the editor.
  const target = screen.getByTestId(deployTestIds.target);
  expect(target).toHaveTextContent('No cluster is configured for this Falco datasource');
  expect(screen.queryByTestId(deployTestIds.preview)).not.toBeInTheDocument();
  fireEvent.click(within(target).getByRole('button', { name: 'Export the working copy' }));
  await settle();
  const panel = screen.getByTestId(deployTestIds.export);
  expect(screen.getByLabelText('Export')).toHaveTextContent('customRules:');
  expect(screen.getByLabelText('Export')).toHaveTextContent('custom_rules.yaml: |');
  expect(within(panel).getByRole('button', { name: 'Copy' })).toBeInTheDocument();

  fireEvent.click(within(panel).getByLabelText('Flux HelmRelease'));
  expect(screen.getByLabelText('Export')).toHaveTextContent('kind: HelmRelease');
  expect(screen.getByLabelText('Export')).toHaveTextContent('values: customRules:');
  fireEvent.click(within(panel).getByLabelText('Argo CD Application'));
  expect(screen.getByLabelText('Export')).toHaveTextContent('kind: Application');
  expect(screen.getByLabelText('Export')).toHaveTextContent('valuesObject:');
  fireEvent.click(within(panel).getByLabelText('ConfigMap'));
  expect(screen.getByLabelText('Export')).toHaveTextContent('kind: ConfigMap');
  expect(screen.getByLabelText('Export')).toHaveTextContent('name: falco-custom-rules');

  const saved: Array<{ name: string; blob: Blob }> = [];
  URL.createObjectURL = jest.fn((blob: Blob) => {
    saved.push({ name: '', blob });
    return 'blob:export';
  });
  URL.revokeObjectURL = jest.fn();
  const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved[saved.length - 1].name = this.download;
  });
  fireEvent.click(within(panel).getByRole('button', { name: 'Download falco-custom-rules-configmap.yaml' }));
  fireEvent.click(within(panel).getByRole('button', { name: 'Download custom_rules.yaml' }));
  click.mockRestore();
  expect(saved.map((s) => s.name)).toEqual(['falco-custom-rules-configmap.yaml', 'custom_rules.yaml']);
  jest.useRealTimers();
  expect(await readBlob(saved[1].blob)).toBe(STARTER_FILE.content);
  expect(await readBlob(saved[0].blob)).toContain('kind: ConfigMap');
});

test('with several Falco releases, the one picked is the one loaded, previewed and shown in history', async () => {
  const other = { ...RELEASE, namespace: 'falco-edge', name: 'falco-edge', revision: 7 };
  backend.answers['deploy/releases'] = ok({ releases: [RELEASE, other] });
  backend.answers['deploy/release'] = ok({ release: other, files: CLUSTER_FILES });
  // Combobox draws only the options that fit its menu, measured by @tanstack/virtual-core from clientHeight and
  // clientWidth; jsdom lays nothing out, so elements get a size for this test.
  const sized = (['clientHeight', 'clientWidth'] as const).map((prop) =>
    jest.spyOn(Element.prototype, prop, 'get').mockReturnValue(400)
  );
  await renderWorkspace();
  expect(screen.getByTestId(deployTestIds.target)).toHaveTextContent('2 Falco releases in namespace falco');
  fireEvent.change(screen.getByRole('combobox'), { target: { value: 'edge' } });
  await advance(100);
  fireEvent.click(await screen.findByRole('option', { name: /falco-edge\/falco-edge/ }));
  await settle();
  expect(screen.getByDisplayValue('falco-edge/falco-edge')).toBeInTheDocument();
  sized.forEach((s) => s.mockRestore());

  fireEvent.click(screen.getByTestId(deployTestIds.loadFromCluster));
  await settle();
  expect(callsTo(backend, 'deploy/release').at(-1)!.url).toContain('namespace=falco-edge&name=falco-edge');
  await preview();
  expect(callsTo(backend, 'deploy/plan').at(-1)!.data).toMatchObject({
    namespace: 'falco-edge',
    name: 'falco-edge',
    baseRevision: 7,
  });
  expect(callsTo(backend, 'deploy/history').at(-1)!.url).toContain('namespace=falco-edge&name=falco-edge');
  expect(screen.getByRole('heading', { name: 'History of falco-edge/falco-edge' })).toBeInTheDocument();
});

test('a new preview asks for every warning again: ticks never carry over to another plan', async () => {
  await renderWorkspace();
  await preview();
  PLAN.warnings.forEach((w) => fireEvent.click(screen.getByLabelText(w.message)));
  expect(deployButton()).toBeEnabled();
  await preview();
  expect(callsTo(backend, 'deploy/plan')).toHaveLength(2);
  PLAN.warnings.forEach((w) => expect(screen.getByLabelText(w.message)).not.toBeChecked());
  expect(deployButton()).toBeDisabled();
});

test('a release without custom rules loads as an empty working copy, and says so', async () => {
  backend.answers['deploy/release'] = ok({ release: RELEASE, files: [] });
  await renderWorkspace();
  fireEvent.click(screen.getByTestId(deployTestIds.loadFromCluster));
  await settle();
  expect(screen.getByTestId(deployTestIds.target)).toHaveTextContent(
    'falco/falco revision 3 has no custom rules: the working copy is empty. Add a file to start.'
  );
  expect(screen.queryByLabelText('Rules file')).not.toBeInTheDocument();
  fireEvent.click(screen.getByRole('button', { name: 'Add file' }));
  expect(screen.getByRole('tab', { name: 'custom_rules.yaml' })).toBeInTheDocument();
});
