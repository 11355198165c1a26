import {
  fileNameProblem,
  loadWorkingCopy,
  newFileName,
  saveWorkingCopy,
  STARTER_FILE,
  withLabFiles,
  workingCopyKey,
} from './workingCopy';

beforeEach(() => window.localStorage.clear());

test('a datasource without a working copy starts from the example file', () => {
  expect(loadWorkingCopy('falco')).toEqual({ files: [STARTER_FILE] });
});

test('each datasource keeps its own working copy', () => {
  saveWorkingCopy('falco-a', [{ name: 'a.yaml', content: '- list: a\n  items: []\n' }]);
  saveWorkingCopy('falco-b', [{ name: 'b.yaml', content: '' }]);
  expect(loadWorkingCopy('falco-a').files).toEqual([{ name: 'a.yaml', content: '- list: a\n  items: []\n' }]);
  expect(loadWorkingCopy('falco-b').files).toEqual([{ name: 'b.yaml', content: '' }]);
});

test('an unreadable working copy is kept aside, not overwritten', () => {
  window.localStorage.setItem(workingCopyKey('falco'), '{"files": [{"name": 1}]}');
  const loaded = loadWorkingCopy('falco');
  expect(loaded.files).toEqual([STARTER_FILE]);
  expect(loaded.keptAside).toBe(`${workingCopyKey('falco')}.unreadable`);
  expect(window.localStorage.getItem(loaded.keptAside!)).toBe('{"files": [{"name": 1}]}');

  window.localStorage.setItem(workingCopyKey('other'), 'not json');
  expect(window.localStorage.getItem(loadWorkingCopy('other').keptAside!)).toBe('not json');
});

test('file names follow the backend rules', () => {
  expect(fileNameProblem('custom.yaml', [])).toBeUndefined();
  expect(fileNameProblem('custom.yml', [])).toBeUndefined();
  expect(fileNameProblem(' ', [])).toBe('A rules file needs a name');
  expect(fileNameProblem('../etc/x.yaml', [])).toBe('A file name cannot contain / or \\');
  expect(fileNameProblem('a\\b.yaml', [])).toBe('A file name cannot contain / or \\');
  expect(fileNameProblem('rules.txt', [])).toBe('A rules file name ends in .yaml or .yml');
  const charset = "A file name starts with a letter or digit and holds only letters, digits, '.', '_' and '-'";
  expect(fileNameProblem('.hidden.yaml', [])).toBe(charset);
  expect(fileNameProblem('my rules.yaml', [])).toBe(charset);
  expect(fileNameProblem(`${'a'.repeat(249)}.yaml`, [])).toBe('A file name has at most 253 characters');
  expect(fileNameProblem(`${'a'.repeat(248)}.yaml`, [])).toBeUndefined();
  expect(fileNameProblem('a.yaml', ['a.yaml'])).toBe('There is already a file named a.yaml');
});

test('a new file gets the first free name', () => {
  expect(newFileName([])).toBe('custom_rules.yaml');
  expect(newFileName(['custom_rules.yaml', 'custom_rules_3.yaml'])).toBe('custom_rules_2.yaml');
});

test('a full local storage is reported, not thrown, and the last saved copy stays', () => {
  saveWorkingCopy('falco', [{ name: 'a.yaml', content: 'kept' }]);
  // jsdom gives an origin 5,000,000 code units of storage, as browsers do.
  const huge = [{ name: 'a.yaml', content: 'x'.repeat(6_000_000) }];
  expect(saveWorkingCopy('falco', huge)).toMatch(/Could not save item in localStorage/);
  expect(loadWorkingCopy('falco').files).toEqual([{ name: 'a.yaml', content: 'kept' }]);
});

test('the shipped lab rules join the user files without overwriting an edited one', () => {
  const lab = [{ name: 'containersec_rules.yaml', content: 'shipped' }];
  const mine = [{ name: 'custom_rules.yaml', content: 'mine' }];
  expect(withLabFiles(mine, lab)).toEqual([...mine, ...lab]);
  // Loaded twice: nothing changes.
  expect(withLabFiles([...mine, ...lab], lab)).toEqual([...mine, ...lab]);
  // The user edited the shipped file: the shipped one comes back beside it.
  const edited = [{ name: 'containersec_rules.yaml', content: 'edited' }];
  expect(withLabFiles(edited, lab)).toEqual([
    ...edited,
    { name: 'containersec_rules_shipped.yaml', content: 'shipped' },
  ]);
  // And that name is taken too: the next free custom_rules name.
  const both = [...edited, { name: 'containersec_rules_shipped.yaml', content: 'edited too' }];
  expect(withLabFiles(both, lab)).toEqual([...both, { name: 'custom_rules.yaml', content: 'shipped' }]);
});

test('stored names the editor cannot use get fresh names, and every file keeps its content', () => {
  const stored = [
    { name: 'a.yaml', content: 'first' },
    { name: 'a.yaml', content: 'second' },
    { name: '../../etc/x.yaml', content: 'path' },
    { name: '', content: 'nameless' },
    { name: 'custom_rules.yaml', content: 'taken later', extra: { __proto__: { polluted: true } } },
  ];
  window.localStorage.setItem(workingCopyKey('falco'), JSON.stringify({ files: stored }));
  const loaded = loadWorkingCopy('falco');
  const names = loaded.files.map((f) => f.name);
  expect(new Set(names).size).toBe(stored.length);
  names.forEach((name, i) => expect(fileNameProblem(name, names.slice(0, i))).toBeUndefined());
  expect(loaded.files.map((f) => f.content)).toEqual(stored.map((f) => f.content));
  expect(loaded.files[4]).toEqual({ name: 'custom_rules.yaml', content: 'taken later' });
  expect(loaded.renamed?.map((r) => r.from)).toEqual(['a.yaml', '../../etc/x.yaml', '']);
  expect(loaded.keptAside).toBeUndefined();
});

test('a stored copy with usable names loads as it was', () => {
  const files = [{ name: 'a.yaml', content: 'x' }];
  window.localStorage.setItem(workingCopyKey('falco'), JSON.stringify({ files }));
  expect(loadWorkingCopy('falco')).toEqual({ files });
});
