import React from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { of, throwError } from 'rxjs';
import type { RulesCatalog, ValidateResult } from '../../api/rules';
import { completionDisposed, editors, fakeMonaco, resetFakeMonaco } from './fakeCodeEditor';
import { MarkerSeverity } from './markers';
import { RuleEditor } from './RuleEditor';
import { ruleEditorTestIds } from './testIds';
import { VALIDATE_DELAY_MS } from './validator';
import { workingCopyKey } from './workingCopy';
import { locationService } from '@grafana/runtime';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));
jest.mock('@grafana/ui', () => ({
  ...jest.requireActual('@grafana/ui'),
  CodeEditor: jest.requireActual('./fakeCodeEditor').FakeCodeEditor,
}));

const catalog: Partial<RulesCatalog> & { defaults: { macros: string[]; lists: string[] } } = {
  fields: [{ name: 'proc.name', type: 'CHARBUF', arg: 'none', source: 'syscall' }],
  operators: [{ op: '=', kind: 'string/equality' }],
  modifiers: [],
  transformers: [],
  sources: ['syscall'],
  defaults: { macros: ['spawned_process'], lists: ['shell_binaries'] },
};

const BROKEN =
  '- rule: Shell\n  desc: d\n  condition: spawned_process and proc.nme = bash\n  output: x\n  priority: WARNING\n';

const brokenAnswer: ValidateResult = {
  diagnostics: [
    {
      severity: 'error',
      code: 'LOAD_UNKNOWN_FILTER',
      codedesc: 'Unknown field or event-type in condition or output',
      message: 'nonexistent field proc.nme',
      item_type: 'rule',
      item_name: 'Shell',
      file: 'custom_rules.yaml',
      line: 3,
      column: 34,
    },
  ],
  rules: [
    {
      name: 'Shell',
      priority: 'Warning',
      source: 'syscall',
      tags: ['shell'],
      enabled: true,
      file: 'custom_rules.yaml',
      line: 1,
    },
    {
      name: 'Terminal shell in container',
      priority: 'Notice',
      source: 'syscall',
      tags: ['maturity_stable', 'container', 'shell', 'mitre_execution', 'T1059'],
      mitre: ['execution'],
      enabled: true,
      file: 'falco_rules.yaml',
      default: true,
    },
  ],
  macros: 1,
  lists: 0,
};

// Rendering Monaco's stand-in, tabs and tables takes seconds on a busy 2-core machine; 5 s was too tight for the
// longest flows here.
jest.setTimeout(20000);

let validateAnswer: () => unknown;
let labAnswer: () => unknown;

function routeFetch(req: { url: string; data?: unknown }) {
  if (req.url.endsWith('/rules/catalog')) {
    return of({ data: catalog });
  }
  if (req.url.endsWith('/rules/validate')) {
    return validateAnswer();
  }
  if (req.url.endsWith('/rules/lab')) {
    return labAnswer();
  }
  return throwError(() => ({ status: 404, data: { error: `no resource ${req.url}` } }));
}

const validateCalls = () => fetch.mock.calls.map((c) => c[0]).filter((r) => r.url.endsWith('/rules/validate'));

async function typeAndWait(text: string) {
  fireEvent.change(screen.getByLabelText('Rules file'), { target: { value: text } });
  await act(async () => {
    jest.advanceTimersByTime(VALIDATE_DELAY_MS);
  });
}

// renderEditor renders and lets the catalog request answer, as the page does on load.
async function renderEditor(uid: string) {
  const view = render(<RuleEditor datasourceUid={uid} />);
  await act(async () => {});
  return view;
}

beforeEach(() => {
  jest.useFakeTimers();
  window.localStorage.clear();
  resetFakeMonaco();
  validateAnswer = () => of({ data: brokenAnswer });
  labAnswer = () => throwError(() => ({ status: 404, data: { error: 'no resource "/rules/lab"' } }));
  fetch.mockReset().mockImplementation(routeFetch);
});
afterEach(() => jest.useRealTimers());

test('says the files are a working copy that stays local until deployed', async () => {
  await renderEditor('falco');
  expect(screen.getByText(/They stay local until you deploy them/)).toBeInTheDocument();
});

test('a broken rule typed in the editor shows up with its line in the problems list and as a marker', async () => {
  await renderEditor('falco-prod');
  await typeAndWait(BROKEN);

  const sent = validateCalls();
  expect(sent[sent.length - 1]).toMatchObject({
    url: '/api/datasources/uid/falco-prod/resources/rules/validate',
    method: 'POST',
    data: { files: [{ name: 'custom_rules.yaml', content: BROKEN }] },
  });
  const problems = screen.getByTestId(ruleEditorTestIds.problems);
  expect(await within(problems).findByText('custom_rules.yaml:3:34')).toBeInTheDocument();
  expect(within(problems).getByText("nonexistent field proc.nme (rule 'Shell')")).toBeInTheDocument();

  const [model, owner, markers] = fakeMonaco.editor.setModelMarkers.mock.calls.at(-1)!;
  expect(model).toBe(editors[0].model);
  expect(owner).toBe('falco-rules');
  expect(markers).toEqual([
    expect.objectContaining({ startLineNumber: 3, startColumn: 34, endColumn: 42, severity: MarkerSeverity.Error }),
  ]);
  expect(screen.getByTestId(ruleEditorTestIds.status)).toHaveTextContent(
    '1 error, 0 warnings · 2 rules in effect with the default ruleset · your files define 1 macro and 0 lists'
  );
});

test('clicking a problem puts the cursor on its line and column', async () => {
  await renderEditor('falco');
  await typeAndWait(BROKEN);
  fireEvent.click(await screen.findByText('custom_rules.yaml:3:34'));
  const editor = editors[editors.length - 1];
  expect(editor.setPosition).toHaveBeenCalledWith({ lineNumber: 3, column: 34 });
  expect(editor.focus).toHaveBeenCalled();
});

test('a backend error is shown as an alert naming it', async () => {
  validateAnswer = () =>
    throwError(() => ({ status: 400, data: { error: 'file "x.txt": a rules file name must end in .yaml or .yml' } }));
  await renderEditor('falco');
  await typeAndWait(BROKEN);
  const alert = await screen.findByRole('alert', { name: 'The Falco datasource could not validate the rules' });
  expect(alert).toHaveTextContent('file "x.txt": a rules file name must end in .yaml or .yml (HTTP 400)');
});

test('a backend that does not answer is said so, not "could not validate", and the edits stay', async () => {
  validateAnswer = () => throwError(() => ({ status: 503, data: { message: 'plugin unavailable' } }));
  await renderEditor('falco');
  await typeAndWait(BROKEN);
  const alert = await screen.findByRole('alert', {
    name: "The Falco datasource's backend is not answering: the rules could not be validated",
  });
  expect(alert).toHaveTextContent('Your edits stay in this browser');
});

test('lists the effective rules the backend resolved', async () => {
  await renderEditor('falco');
  await typeAndWait(BROKEN);
  expect(await screen.findByText('2 of 2 rules')).toBeInTheDocument();
  expect(screen.getByText('Terminal shell in container')).toBeInTheDocument();
  expect(screen.getByText('custom_rules.yaml:1')).toBeInTheDocument();
  expect(screen.getByText('falco_rules.yaml (default ruleset)')).toBeInTheDocument();
  // The default ruleset's rules come with their facts: priority and MITRE tactic and technique.
  expect(screen.getByText('Notice')).toBeInTheDocument();
  expect(screen.getByRole('link', { name: /Execution \(TA0002\)/ })).toBeInTheDocument();
  expect(screen.getByRole('link', { name: /T1059 Command and Scripting Interpreter/ })).toBeInTheDocument();
  // A rule without MITRE tags shows a dash, not an empty cell.
  expect(screen.getByText('—')).toBeInTheDocument();
});

test('completion is registered for the editor when it mounts, answers from the catalog and is disposed on unmount', async () => {
  const { unmount } = await renderEditor('falco');
  expect(fakeMonaco.languages.registerCompletionItemProvider).toHaveBeenCalledWith('yaml', expect.anything());
  const provider = fakeMonaco.languages.registerCompletionItemProvider.mock.calls[0][1];

  await typeAndWait('- rule: x\n  condition: spawned_process and pro');
  const editor = editors[0];
  const answer = provider.provideCompletionItems(editor.model, { lineNumber: 2, column: 37 });
  const labels = answer.suggestions.map((s: { label: string }) => s.label);
  expect(labels).toEqual(expect.arrayContaining(['proc.name', '=', 'spawned_process', 'shell_binaries']));
  expect(answer.suggestions[0].range).toEqual({ startLineNumber: 2, endLineNumber: 2, startColumn: 34, endColumn: 37 });
  // Another editor's model gets nothing from this provider.
  expect(provider.provideCompletionItems({ getLinesContent: () => [] }, { lineNumber: 1, column: 1 })).toEqual({
    suggestions: [],
  });

  expect(completionDisposed).not.toHaveBeenCalled();
  unmount();
  expect(completionDisposed).toHaveBeenCalled();
});

test('keeps the working copy in this browser per datasource and reads it back', async () => {
  const { unmount } = await renderEditor('falco-a');
  await typeAndWait('- list: mine\n  items: [a]\n');
  unmount();
  expect(JSON.parse(window.localStorage.getItem(workingCopyKey('falco-a'))!)).toEqual({
    files: [{ name: 'custom_rules.yaml', content: '- list: mine\n  items: [a]\n' }],
  });
  await renderEditor('falco-a');
  expect(screen.getByLabelText('Rules file')).toHaveValue('- list: mine\n  items: [a]\n');
});

test('adds, renames and removes files, and validates them all together', async () => {
  await renderEditor('falco');
  fireEvent.click(screen.getByRole('button', { name: 'Add file' }));
  expect(screen.getByRole('tab', { name: 'custom_rules_2.yaml' })).toBeInTheDocument();

  fireEvent.click(screen.getByRole('button', { name: 'Rename custom_rules_2.yaml' }));
  const input = screen.getByDisplayValue('custom_rules_2.yaml');
  fireEvent.change(input, { target: { value: 'custom_rules.yaml' } });
  expect(screen.getByText('There is already a file named custom_rules.yaml')).toBeInTheDocument();
  expect(screen.getByRole('button', { name: 'Save name' })).toBeDisabled();
  fireEvent.change(input, { target: { value: 'network.yaml' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save name' }));
  expect(screen.getByRole('tab', { name: 'network.yaml' })).toBeInTheDocument();

  await typeAndWait('- list: ports\n  items: [22]\n');
  const sent = validateCalls();
  expect(sent[sent.length - 1].data.files.map((f: { name: string }) => f.name)).toEqual([
    'custom_rules.yaml',
    'network.yaml',
  ]);

  fireEvent.click(screen.getByRole('button', { name: 'Remove file' }));
  fireEvent.click(screen.getByRole('button', { name: 'Remove network.yaml' }));
  expect(screen.queryByRole('tab', { name: 'network.yaml' })).not.toBeInTheDocument();
});

test('loads the shipped lab rules next to the user files, and says why when the datasource has none', async () => {
  await renderEditor('falco');
  fireEvent.click(screen.getByTestId(ruleEditorTestIds.loadLab));
  expect(await screen.findByText(/does not serve the shipped lab rules/)).toBeInTheDocument();

  labAnswer = () =>
    of({ data: { files: [{ name: 'containersec_rules.yaml', content: '- macro: sensitive_files\n' }] } });
  fireEvent.click(screen.getByTestId(ruleEditorTestIds.loadLab));
  expect(await screen.findByRole('tab', { name: 'containersec_rules.yaml' })).toBeInTheDocument();
  expect(screen.getByRole('tab', { name: 'custom_rules.yaml' })).toBeInTheDocument();
});

test('clicking a problem in another file opens that file with the cursor on the problem', async () => {
  window.localStorage.setItem(
    workingCopyKey('falco'),
    JSON.stringify({
      files: [
        { name: 'custom_rules.yaml', content: '- list: a\n  items: [x]\n' },
        { name: 'network.yaml', content: '- macro: m\n  condition: fd.nme = x\n' },
      ],
    })
  );
  validateAnswer = () =>
    of({
      data: {
        ...brokenAnswer,
        diagnostics: [{ ...brokenAnswer.diagnostics[0], file: 'network.yaml', line: 2, column: 14 }],
      },
    });
  await renderEditor('falco');
  await typeAndWait('- list: a\n  items: [y]\n');
  expect(screen.getByRole('tab', { name: 'custom_rules.yaml' })).toHaveAttribute('aria-selected', 'true');

  fireEvent.click(await screen.findByText('network.yaml:2:14'));
  await act(async () => {});
  expect(screen.getByRole('tab', { name: /network\.yaml/ })).toHaveAttribute('aria-selected', 'true');
  const opened = editors[editors.length - 1];
  expect(opened.model.getValue()).toBe('- macro: m\n  condition: fd.nme = x\n');
  expect(opened.setPosition).toHaveBeenCalledWith({ lineNumber: 2, column: 14 });

  // Back to the first file by hand: the editor opens without jumping anywhere.
  fireEvent.click(screen.getByRole('tab', { name: 'custom_rules.yaml' }));
  await act(async () => {});
  expect(editors[editors.length - 1].setPosition).not.toHaveBeenCalled();
});

test('edits the browser cannot keep are flagged and stay in the editor', async () => {
  await renderEditor('falco');
  const huge = `# ${'x'.repeat(6_000_000)}`;
  fireEvent.change(screen.getByLabelText('Rules file'), { target: { value: huge } });
  expect(screen.getByRole('alert', { name: 'This browser did not keep the latest edits' })).toBeInTheDocument();
  expect((screen.getByLabelText('Rules file') as HTMLTextAreaElement).value).toBe(huge);
});

test('a crafted working copy with a name used twice opens, and an edit changes only the open file', async () => {
  window.localStorage.setItem(
    workingCopyKey('falco'),
    JSON.stringify({
      files: [
        { name: 'custom_rules.yaml', content: 'first' },
        { name: 'custom_rules.yaml', content: 'second' },
      ],
    })
  );
  await renderEditor('falco');
  expect(screen.getByText(/"custom_rules.yaml" → custom_rules_2.yaml/)).toBeInTheDocument();
  await typeAndWait('- list: a\n  items: [y]\n');
  const saved = JSON.parse(window.localStorage.getItem(workingCopyKey('falco'))!);
  expect(saved.files).toEqual([
    { name: 'custom_rules.yaml', content: '- list: a\n  items: [y]\n' },
    { name: 'custom_rules_2.yaml', content: 'second' },
  ]);
  expect(
    validateCalls()
      .at(-1)
      .data.files.map((f: { name: string }) => f.name)
  ).toEqual(['custom_rules.yaml', 'custom_rules_2.yaml']);
});

test('?file= opens that file of the working copy first (Add exception opens the file it wrote)', async () => {
  window.localStorage.setItem(
    workingCopyKey('falco'),
    JSON.stringify({
      files: [
        { name: 'custom_rules.yaml', content: '' },
        { name: 'tuning_exceptions.yaml', content: '- rule: Terminal shell in container\n' },
      ],
    })
  );
  locationService.push('/a/containersec-security-app/rules?file=tuning_exceptions.yaml');
  await renderEditor('falco');
  expect(screen.getByRole('tab', { name: /tuning_exceptions\.yaml/ })).toHaveAttribute('aria-selected', 'true');
  locationService.push('/');
});
