import type { EffectiveRule } from '../../api/rules';
import { filterOptions, filterRules, mitreText, NO_FILTERS, plainTags } from './effectiveRules';

const rule = (name: string, priority: string, source: string, tags: string[] | null): EffectiveRule => ({
  name,
  priority,
  source,
  tags,
  enabled: true,
  file: 'falco_rules.yaml',
});

const rules = [
  rule('Terminal shell in container', 'Notice', 'syscall', ['container', 'shell', 'mitre_execution']),
  rule('Read sensitive file untrusted', 'Warning', 'syscall', ['filesystem', 'mitre_credential_access']),
  rule('Create privileged pod', 'WARNING', 'k8s_audit', ['k8s']),
  rule('Untagged', 'Critical', 'syscall', null),
];
const names = (rs: EffectiveRule[]) => rs.map((r) => r.name);

test('the MITRE column shows tactics and techniques from the one catalog, with names and ids, each once', () => {
  const r = {
    ...rule('x', 'Notice', 'syscall', [
      'container',
      'mitre_persistence',
      'T1059.004',
      'TA0003',
      'T15',
      'NIST_800-53_AC-2',
    ]),
    mitre: ['execution', 'persistence'],
  };
  // mitre_persistence, TA0003 and "persistence" are one tactic; kill-chain order; T15 is no technique id.
  expect(mitreText(r)).toBe('Execution (TA0002); Persistence (TA0003); T1059.004 Unix Shell');
  expect(plainTags(r)).toEqual(['container', 'T15', 'NIST_800-53_AC-2']);
  expect(mitreText(rule('y', 'Notice', 'syscall', null))).toBe('');
});

test('no filter keeps every rule', () => {
  expect(filterRules(rules, NO_FILTERS)).toEqual(rules);
});

test('priority matches without regard to case and any chosen priority matches', () => {
  expect(names(filterRules(rules, { ...NO_FILTERS, priorities: ['Warning'] }))).toEqual([
    'Read sensitive file untrusted',
    'Create privileged pod',
  ]);
  expect(names(filterRules(rules, { ...NO_FILTERS, priorities: ['Notice', 'Critical'] }))).toEqual([
    'Terminal shell in container',
    'Untagged',
  ]);
});

test('a rule matches a tag filter when it has any chosen tag; untagged rules never do', () => {
  expect(names(filterRules(rules, { ...NO_FILTERS, tags: ['shell', 'k8s'] }))).toEqual([
    'Terminal shell in container',
    'Create privileged pod',
  ]);
});

test('filters combine: every filter with a value must match', () => {
  expect(names(filterRules(rules, { priorities: ['Warning'], tags: [], sources: ['k8s_audit'] }))).toEqual([
    'Create privileged pod',
  ]);
  expect(filterRules(rules, { priorities: ['Notice'], tags: ['k8s'], sources: [] })).toEqual([]);
});

test('the options are the values present, priorities in severity order and once per priority', () => {
  expect(filterOptions(rules)).toEqual({
    priorities: ['Critical', 'Warning', 'Notice'],
    tags: ['container', 'filesystem', 'k8s', 'mitre_credential_access', 'mitre_execution', 'shell'],
    sources: ['k8s_audit', 'syscall'],
  });
});
