import type { Exporter, FalcoMetricsSource, QueryCategory, QueryEntry } from '../../queries/types';
import { CATEGORY_TITLES } from './catalogTypes';

export interface LibraryFilter {
  search: string;
  category?: QueryCategory;
  exporter?: Exporter;
}

const FALCO_SOURCES: FalcoMetricsSource[] = ['native', 'falcosidekick', 'legacy'];

// Every exporter an entry can read from: Falco entries switch metric with the chosen source, so all sources count.
export function possibleExporters(entry: QueryEntry): Exporter[] {
  const choices = entry.params.includes('falcoSource') ? FALCO_SOURCES.map((falcoSource) => ({ falcoSource })) : [{}];
  const found = new Set<Exporter>();
  for (const params of choices) {
    try {
      entry.exporters(params).forEach((e) => found.add(e));
    } catch {
      // A source the entry cannot use (e.g. namespace counts from native Falco) adds no exporter.
    }
  }
  return [...found];
}

// Search matches when every word appears in the entry's id, title or description, ignoring case.
export function matchesSearch(entry: QueryEntry, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const text = `${entry.id}\n${entry.title}\n${entry.description}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

export function filterEntries(entries: QueryEntry[], filter: LibraryFilter): QueryEntry[] {
  return entries.filter(
    (entry) =>
      (!filter.category || entry.category === filter.category) &&
      (!filter.exporter || possibleExporters(entry).includes(filter.exporter)) &&
      matchesSearch(entry, filter.search)
  );
}

export interface CategoryGroup {
  category: QueryCategory;
  title: string;
  entries: QueryEntry[];
}

// Groups in the page's category order, leaving out empty categories.
export function groupByCategory(entries: QueryEntry[]): CategoryGroup[] {
  return (Object.keys(CATEGORY_TITLES) as QueryCategory[])
    .map((category) => ({
      category,
      title: CATEGORY_TITLES[category],
      entries: entries.filter((e) => e.category === category),
    }))
    .filter((g) => g.entries.length > 0);
}
