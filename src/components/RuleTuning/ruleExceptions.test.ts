import { parse } from 'yaml';
import { findExceptions, removeException } from './ruleExceptions';

const RULE = 'Terminal shell in container';

// Values an analyst copies out of real events: quotes, commas, spaces, parentheses, YAML indicators, unicode.
const HOSTILE = [
  `it's "quoted"`,
  'a, b (c)',
  '/usr/bin/my app',
  '#not-a-comment',
  'key: value',
  'ünïcödé 🚀',
  '- dash',
  '[x]',
  '',
];

const FILE = `# Team tuning: keep this comment
- rule: ${RULE}
  exceptions:
    # CI runners open shells
    - name: ci_runner
      fields: [container.image.repository, proc.name]
      comps: [=, in]
      values:
        - [ghcr.io/acme/runner, [bash, sh]]
    - name: "hostile 'name', (x)"
      fields: [proc.cmdline, k8s.ns.name]
      values:
${HOSTILE.map((v) => `        - [${JSON.stringify(v)}, ${JSON.stringify(v + ' ns')}]`).join('\n')}
  override:
    exceptions: append

- macro: my_macro # trailing comment
  condition: proc.name = "a, b"

- rule: Read sensitive file untrusted
  exceptions:
    - name: other_rule_exception
      fields: [proc.name]
      values: [[cat]]
  override:
    exceptions: append
`;

test('lists the exceptions the files put on one rule, with their fields and values', () => {
  const { found, unreadable } = findExceptions(
    [
      { name: 'a.yaml', content: FILE },
      { name: 'broken.yaml', content: '- rule: [unclosed' },
    ],
    RULE
  );
  expect(unreadable).toEqual([{ file: 'broken.yaml', problem: expect.any(String) }]);
  expect(found.map((e) => [e.file, e.item, e.name, e.fields])).toEqual([
    ['a.yaml', 0, 'ci_runner', ['container.image.repository', 'proc.name']],
    ['a.yaml', 0, "hostile 'name', (x)", ['proc.cmdline', 'k8s.ns.name']],
  ]);
  expect(found[1].values).toEqual(HOSTILE.map((v) => [v, `${v} ns`]));
});

test('removing one exception keeps the other exactly, with every comment and the other items', () => {
  const out = removeException(FILE, { item: 0, name: 'ci_runner' }, RULE)!;
  const before = parse(FILE);
  const after = parse(out);
  expect(after[0].exceptions).toEqual([before[0].exceptions[1]]);
  expect(after[0].exceptions[0].values).toEqual(HOSTILE.map((v) => [v, `${v} ns`]));
  expect(after.slice(1)).toEqual(before.slice(1));
  expect(after[0].override).toEqual({ exceptions: 'append' });
  expect(out).toContain('# Team tuning: keep this comment');
  expect(out).toContain('- macro: my_macro # trailing comment');
  expect(out).not.toContain('ci_runner');
  // The text after the edited item is untouched.
  expect(out.slice(out.indexOf('- macro:'))).toBe(FILE.slice(FILE.indexOf('- macro:')));
});

test('removing the last exception of an append removes the item; of a rule definition only its exceptions', () => {
  const once = removeException(FILE, { item: 0, name: 'ci_runner' }, RULE)!;
  const twice = removeException(once, { item: 0, name: "hostile 'name', (x)" }, RULE)!;
  expect(parse(twice).map((i: Record<string, unknown>) => i.rule ?? i.macro)).toEqual([
    'my_macro',
    'Read sensitive file untrusted',
  ]);
  expect(twice).toContain('# trailing comment');
  // The comment above the removed item heads the file: it stays.
  expect(twice.startsWith('# Team tuning: keep this comment\n')).toBe(true);

  const own = `- rule: ${RULE}
  desc: my own rule
  condition: spawned_process
  output: "x"
  priority: WARNING
  exceptions:
    - name: only
      fields: [proc.name]
      values: [[bash]]
`;
  expect(parse(removeException(own, { item: 0, name: 'only' }, RULE)!)).toEqual([
    { rule: RULE, desc: 'my own rule', condition: 'spawned_process', output: 'x', priority: 'WARNING' },
  ]);

  // An override of more than exceptions keeps the rest of its override.
  const mixed = `- rule: ${RULE}
  condition: and not proc.name = x
  exceptions:
    - name: only
      fields: [proc.name]
      values: [[bash]]
  override:
    condition: append
    exceptions: append
`;
  expect(parse(removeException(mixed, { item: 0, name: 'only' }, RULE)!)).toEqual([
    { rule: RULE, condition: 'and not proc.name = x', override: { condition: 'append' } },
  ]);
});

test('a file that changed since the exception was listed is not edited', () => {
  expect(removeException(FILE, { item: 0, name: 'gone' }, RULE)).toBeUndefined();
  expect(removeException(FILE, { item: 2, name: 'ci_runner' }, RULE)).toBeUndefined();
  expect(removeException(FILE, { item: 9, name: 'ci_runner' }, RULE)).toBeUndefined();
  expect(removeException('- rule: [x', { item: 0, name: 'ci_runner' }, RULE)).toBeUndefined();
});
