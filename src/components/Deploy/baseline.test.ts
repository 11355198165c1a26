import { STARTER_FILE } from '../RuleEditor/workingCopy';
import { editsLostByLoading, loadBaseline, saveBaseline, sameFiles } from './baseline';

const a = { name: 'a.yaml', content: 'A' };
const b = { name: 'b.yaml', content: 'B' };
const a2 = { name: 'a.yaml', content: 'A edited' };

beforeEach(() => window.localStorage.clear());

test('files are the same whatever their order, and differ by name, content or count', () => {
  expect(sameFiles([a, b], [b, a])).toBe(true);
  expect(sameFiles([a], [a2])).toBe(false);
  expect(sameFiles([a], [a, b])).toBe(false);
});

test('nothing is lost when the working copy is what the cluster has, what was last loaded, or the example', () => {
  expect(editsLostByLoading([a], [a])).toEqual([]);
  expect(editsLostByLoading([a], [b], [a])).toEqual([]);
  expect(editsLostByLoading([STARTER_FILE], [b])).toEqual([]);
});

test('edited and removed files are named; without a baseline the cluster is the reference', () => {
  // Since the last load, a.yaml was edited and b.yaml removed.
  expect(editsLostByLoading([a2], [a, b], [a, b])).toEqual(['a.yaml', 'b.yaml (removed)']);
  // Never loaded: a file the cluster lacks or has with other content is a local edit; its own other files are not.
  expect(editsLostByLoading([a2, { name: 'mine.yaml', content: 'x' }], [a, b])).toEqual(['a.yaml', 'mine.yaml']);
});

test('the baseline is kept per datasource, and an unreadable one is ignored', () => {
  saveBaseline('falco', { namespace: 'falco', name: 'falco', revision: 3, files: [a] });
  expect(loadBaseline('falco')).toEqual({ namespace: 'falco', name: 'falco', revision: 3, files: [a] });
  expect(loadBaseline('other')).toBeUndefined();
  window.localStorage.setItem('containersec-security-app.rules.bad.cluster', '{"files": 3}');
  expect(loadBaseline('bad')).toBeUndefined();
});
