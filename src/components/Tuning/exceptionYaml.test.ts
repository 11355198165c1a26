import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { addException, TUNING_FILE } from './exceptionYaml';
import { falcoValue, readFalcoValue, valueProblem } from './falcoValue';
import type { ExceptionDraft } from './tuningApi';

const TESTDATA = path.join(__dirname, '../../../pkg/tuning/testdata');
// The values the backend's tests use too (pkg/tuning/condition_test.go): quotes, commas, blanks, parentheses, unicode.
const hostile: Array<{ value: string; falco: string }> = JSON.parse(
  fs.readFileSync(path.join(TESTDATA, 'hostile_values.json'), 'utf8')
).values;

const draft = (values: string[][], name = 'tuned'): ExceptionDraft => ({
  rule: 'Terminal shell in container',
  name,
  fields: ['container.image.repository', 'proc.name'],
  comps: ['=', 'in'],
  values,
});

interface Item {
  rule?: string;
  exceptions?: Array<{ name: string; fields: string[]; comps: string[]; values: string[][] }>;
  override?: Record<string, string>;
}

test('writes each value as the backend does (the shared testdata), and Falco reads it back unchanged', () => {
  for (const h of hostile) {
    expect(falcoValue(h.value)).toBe(h.falco);
    expect(readFalcoValue(falcoValue(h.value))).toBe(h.value);
    expect(valueProblem(h.value)).toBeUndefined();
  }
  expect(valueProblem('C:\\')).toMatch(/backslash/);
});

test('a new append item in tuning_exceptions.yaml loads back to exactly the same values', () => {
  const values = hostile.map((h) => [h.value, h.value]);
  const out = addException(
    [{ name: 'custom_rules.yaml', content: '- list: x\n  items: [a]\n' }],
    draft(values, 'a "b", c')
  );
  expect(out.file).toBe(TUNING_FILE);
  expect(out.files.map((f) => f.name)).toEqual(['custom_rules.yaml', TUNING_FILE]);
  expect(out.files[0].content).toBe('- list: x\n  items: [a]\n');
  const content = out.files[1].content;
  expect(content).toContain('override: { exceptions: append }');
  const items: Item[] = parse(content);
  expect(items).toHaveLength(1);
  expect(items[0].rule).toBe('Terminal shell in container');
  expect(items[0].override).toEqual({ exceptions: 'append' });
  const ex = items[0].exceptions![0];
  expect(ex.name).toBe('a "b", c');
  expect(ex.fields).toEqual(['container.image.repository', 'proc.name']);
  expect(ex.comps).toEqual(['=', 'in']);
  expect(ex.values.map((row) => row.map(readFalcoValue))).toEqual(values);
  // The backend validates this very file against Falco's default ruleset (pkg/tuning editor_exception_test.go).
  const golden = path.join(TESTDATA, 'editor_exception.yaml');
  if (process.env.UPDATE_GOLDEN) {
    fs.writeFileSync(golden, content);
  }
  expect(content).toBe(fs.readFileSync(golden, 'utf8'));
});

test('adds to the rule’s existing append item, to the same exception when names, fields and comps agree', () => {
  const start = `# mine
- rule: Terminal shell in container
  exceptions:
    - name: tuned
      fields: [container.image.repository, proc.name]
      comps: [=, in]
      values:
        - [nginx, sh]
  override:
    exceptions: append
`;
  const files = [
    { name: 'a.yaml', content: '- macro: m\n  condition: evt.type = open\n' },
    { name: 'b.yaml', content: start },
  ];
  const same = addException(files, draft([['it\'s "x"', 'a, b']]));
  expect(same).toMatchObject({ file: 'b.yaml', name: 'tuned', appendedTo: true });
  expect(same.files[0]).toBe(files[0]);
  const items: Item[] = parse(same.files[1].content);
  expect(items[0].exceptions).toHaveLength(1);
  expect(items[0].exceptions![0].values.map((r) => r.map(readFalcoValue))).toEqual([
    ['nginx', 'sh'],
    ['it\'s "x"', 'a, b'],
  ]);
  expect(same.files[1].content.startsWith('# mine\n')).toBe(true);

  // Same name, other fields: a second exception under a fresh name (Falco refuses new fields on an appended name).
  const other = addException(same.files, { ...draft([['x']]), fields: ['proc.name'], comps: ['='] });
  expect(other).toMatchObject({ file: 'b.yaml', name: 'tuned (2)', appendedTo: false });
  const again: Item[] = parse(other.files[1].content);
  expect(again[0].exceptions!.map((e) => e.name)).toEqual(['tuned', 'tuned (2)']);
});

test('a second rule joins tuning_exceptions.yaml; a broken file is left alone', () => {
  const first = addException([], draft([['nginx', 'sh']]));
  const second = addException(first.files, { ...draft([['x', 'y']]), rule: 'Read sensitive file untrusted' });
  const items: Item[] = parse(second.files[0].content);
  expect(items.map((i) => i.rule)).toEqual(['Terminal shell in container', 'Read sensitive file untrusted']);
  const broken = [{ name: 'broken.yaml', content: '- rule: Terminal shell in container\n  exceptions: [\n' }];
  const out = addException(broken, draft([['a', 'b']]));
  expect(out.files[0]).toBe(broken[0]);
  expect(out.file).toBe(TUNING_FILE);
  expect(() => addException([{ name: TUNING_FILE, content: 'rule: [' }], draft([['a', 'b']]))).toThrow(/YAML errors/);
});
