import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { mitreLine, mitreOf, tacticOf, techniqueOf } from './catalog';

test('a tactic is one thing however Falco and the backend spell it', () => {
  for (const spelled of ['mitre_persistence', 'persistence', 'TA0003', 'ta0003']) {
    expect(tacticOf(spelled)).toEqual({
      id: 'TA0003',
      name: 'Persistence',
      url: 'https://attack.mitre.org/tactics/TA0003/',
    });
  }
  expect(tacticOf('mitre_command_and_control')?.id).toBe('TA0011');
  expect(techniqueOf('t1059.004')).toEqual({
    id: 'T1059.004',
    name: 'Unix Shell',
    url: 'https://attack.mitre.org/techniques/T1059/004/',
  });
  // An id the catalog does not name is still a technique, linked by id.
  expect(techniqueOf('T1234')).toEqual({
    id: 'T1234',
    name: undefined,
    url: 'https://attack.mitre.org/techniques/T1234/',
  });
  expect(techniqueOf('T15')).toBeUndefined();
  expect(mitreLine(mitreOf(['TA0003', 'mitre_persistence', 'T1098']))).toBe(
    'Persistence (TA0003); T1098 Account Manipulation'
  );
});

// The official Falco rulesets (../shared/corpus, read-only reference data, from the project root as CI runs the tests,
// like exportFormats.test.ts): every ATT&CK tag they use is known by name. The path once went one level too high, so
// the test was skipped everywhere; now a missing corpus fails it.
const CORPUS = join(process.cwd(), '../shared/corpus/falco-rules');
const corpusFiles = readdirSync(CORPUS).filter((f) => f.endsWith('.yaml'));
test('every tactic and technique tag of the official Falco rulesets has its ATT&CK name', () => {
  const tags = new Set<string>();
  for (const f of corpusFiles) {
    const text = readFileSync(join(CORPUS, f), 'utf8');
    for (const m of text.matchAll(/\b(mitre_[a-z_]+|TA\d{4}|T\d{4}(?:\.\d{3})?)\b/g)) {
      tags.add(m[1]);
    }
  }
  expect(tags.size).toBeGreaterThan(20);
  const mapping = mitreOf([...tags]);
  expect(mapping.tags.sort()).toEqual([...tags].sort());
  expect(mapping.techniques.filter((t) => !t.name).map((t) => t.id)).toEqual([]);
});
