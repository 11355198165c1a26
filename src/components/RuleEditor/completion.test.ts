import type { RulesCatalog } from '../../api/rules';
import { contextAt, namesDefinedIn, suggestionsFor, wordStart } from './completion';

const catalog: RulesCatalog = {
  fields: [
    { name: 'proc.name', type: 'CHARBUF', arg: 'none', source: 'syscall' },
    { name: 'proc.aname', type: 'CHARBUF', arg: 'optional', argKind: 'index', source: 'syscall' },
    { name: 'ka.verb', type: 'CHARBUF', arg: 'none', source: 'k8s_audit' },
    { name: 'container.healthcheck', type: 'CHARBUF', arg: 'none', source: 'syscall', deprecated: true },
  ],
  operators: [
    { op: '=', kind: 'string/equality' },
    { op: 'in', kind: 'list' },
  ],
  modifiers: ['anyof'],
  transformers: ['tolower'],
  sources: ['k8s_audit', 'syscall'],
  macros: ['spawned_process', 'container'],
  lists: ['shell_binaries'],
};

// `|` marks the cursor; returns the lines and the 1-based position.
function at(doc: string) {
  const lines = doc.split('\n');
  const lineIdx = lines.findIndex((l) => l.includes('|'));
  const column = lines[lineIdx].indexOf('|') + 1;
  lines[lineIdx] = lines[lineIdx].replace('|', '');
  return contextAt(lines, lineIdx + 1, column);
}

describe('contextAt', () => {
  test('a condition value on the key line', () => {
    expect(at('- rule: x\n  condition: spawned_process and pro|')).toEqual({ kind: 'condition' });
  });

  test('a folded condition continues on more indented lines, even one holding a colon-free word', () => {
    const doc = '- macro: m\n  condition: >\n    spawned_process and\n    pro|\n';
    expect(at(doc)).toEqual({ kind: 'condition' });
  });

  test('an output value, also on a continuation line', () => {
    expect(at('- rule: x\n  output: Shell (user=%user.na|')).toEqual({ kind: 'output' });
    expect(at('- rule: x\n  output: >\n    Note: a shell (user=%us|')).toEqual({ kind: 'output' });
  });

  test('priority and source values', () => {
    expect(at('- rule: x\n  priority: WA|')).toEqual({ kind: 'priority' });
    expect(at('- rule: x\n  source: |')).toEqual({ kind: 'source' });
  });

  test('a new key inside an item offers that item kind', () => {
    expect(at('- rule: x\n  condition: a\n  pri|')).toEqual({ kind: 'itemKey', item: 'rule' });
    expect(at('- list: l\n  |')).toEqual({ kind: 'itemKey', item: 'list' });
    expect(at('- macro: m\n  condition: >\n    a and b\n  |')).toEqual({ kind: 'itemKey', item: 'macro' });
  });

  test('a new item at the top level', () => {
    expect(at('- rule: x\n  condition: a\n- |')).toEqual({ kind: 'itemKind' });
    expect(at('|')).toEqual({ kind: 'itemKind' });
  });

  test('other values offer nothing', () => {
    expect(at('- rule: x\n  tags: [a, |')).toEqual({ kind: 'none' });
    expect(at('- rule: x|')).toEqual({ kind: 'none' });
  });
});

describe('suggestionsFor', () => {
  const labels = (...args: Parameters<typeof suggestionsFor>) => suggestionsFor(...args).map((s) => s.label);

  test('a condition offers fields, operators, transformers, macros, lists and keywords, not deprecated fields', () => {
    const got = labels({ kind: 'condition' }, catalog, 'condition: ');
    expect(got).toEqual(
      expect.arrayContaining([
        'proc.name',
        'ka.verb',
        '=',
        'in',
        'anyof',
        'tolower',
        'spawned_process',
        'shell_binaries',
        'and',
        'not',
      ])
    );
    expect(got).not.toContain('container.healthcheck');
  });

  test('a condition also offers the macros and lists the user file defines', () => {
    const own = namesDefinedIn(
      '- macro: my_macro\n  condition: a\n- list: my_list\n  items: [a]\n- list: shell_binaries\n'
    );
    expect(own).toEqual({ macros: ['my_macro'], lists: ['my_list', 'shell_binaries'] });
    const got = labels({ kind: 'condition' }, catalog, '', own);
    expect(got).toEqual(expect.arrayContaining(['my_macro', 'my_list']));
    expect(got.filter((l) => l === 'shell_binaries')).toHaveLength(1);
  });

  test('a field says its type, argument and source', () => {
    const aname = suggestionsFor({ kind: 'condition' }, catalog, '').find((s) => s.label === 'proc.aname');
    expect(aname?.detail).toBe('CHARBUF [optional index] · syscall');
  });

  test('an output offers fields only after %', () => {
    expect(labels({ kind: 'output' }, catalog, 'output: Shell (user=%pro')).toContain('proc.name');
    expect(labels({ kind: 'output' }, catalog, 'output: Shell (user=')).toEqual([]);
  });

  test('priority offers Falco priorities, source the catalog sources', () => {
    expect(labels({ kind: 'priority' }, catalog, '')).toEqual([
      'EMERGENCY',
      'ALERT',
      'CRITICAL',
      'ERROR',
      'WARNING',
      'NOTICE',
      'INFORMATIONAL',
      'DEBUG',
    ]);
    expect(labels({ kind: 'source' }, catalog, '')).toEqual(['k8s_audit', 'syscall']);
  });

  test('item keys depend on the item kind and insert the colon', () => {
    expect(labels({ kind: 'itemKey', item: 'list' }, catalog, '')).toEqual(['items', 'override']);
    expect(labels({ kind: 'itemKey', item: 'rule' }, catalog, '')).toEqual(
      expect.arrayContaining(['condition', 'output', 'priority', 'exceptions'])
    );
    expect(suggestionsFor({ kind: 'itemKind' }, catalog, '')[0]).toEqual({
      label: 'rule',
      kind: 'keyword',
      insertText: 'rule: ',
    });
  });

  test('without a catalog a condition still offers the keywords', () => {
    expect(labels({ kind: 'condition' }, undefined, '')).toEqual(['and', 'or', 'not']);
  });
});

test('wordStart takes dotted and indexed field names as one token', () => {
  expect(wordStart('  condition: proc.aname[2')).toBe('  condition: '.length + 1);
  expect(wordStart('  output: x=%user.na')).toBe('  output: x=%'.length + 1);
  expect(wordStart('')).toBe(1);
});
