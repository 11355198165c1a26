import { filterEntries, groupByCategory, matchesSearch, possibleExporters } from './filters';
import { byPriority, kyvernoViolations, restarts, testCatalog } from './testCatalog';

const all = testCatalog.entries;

test('search matches every word against id, title and description, ignoring case', () => {
  expect(matchesSearch(byPriority, 'CRITICAL attack')).toBe(true); // description
  expect(matchesSearch(byPriority, 'falco.events')).toBe(true); // id
  expect(matchesSearch(byPriority, 'priority kyverno')).toBe(false); // one word missing
  expect(filterEntries(all, { search: 'tampering' })).toEqual([restarts]);
  expect(filterEntries(all, { search: '   ' })).toEqual(all);
});

test('category and exporter filters combine with search', () => {
  expect(filterEntries(all, { search: '', category: 'posture' })).toEqual([kyvernoViolations]);
  expect(filterEntries(all, { search: '', exporter: 'kube-state-metrics' })).toEqual([restarts]);
  expect(filterEntries(all, { search: 'restarts', category: 'posture' })).toEqual([]);
});

test('a Falco entry counts every exporter its metrics source can switch to', () => {
  expect(possibleExporters(byPriority).sort()).toEqual(['falco', 'falcosidekick']);
  expect(filterEntries(all, { search: '', exporter: 'falcosidekick' })).toEqual([byPriority]);
  expect(possibleExporters(restarts)).toEqual(['kube-state-metrics']);
});

test('groups follow the page category order and leave out empty categories', () => {
  const groups = groupByCategory([kyvernoViolations, restarts, byPriority]);
  expect(groups.map((g) => [g.title, g.entries.map((e) => e.id)])).toEqual([
    ['Falco runtime', ['falco.events.by_priority']],
    ['Workload resources', ['workload.restarts']],
    ['Posture', ['posture.kyverno.violations']],
  ]);
});
