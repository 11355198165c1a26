import { QUERIES, buildQuery, legendOf } from '../../queries';
import type { LibraryCatalog } from './catalogTypes';

// The real query library: the page lists every entry and shows the PromQL its builder writes, escaping included.
export const libraryCatalog: LibraryCatalog = {
  entries: [...QUERIES],
  build: (entry, params) => buildQuery(entry.id, params),
  legend: (entry, params) => legendOf(entry.id, params),
};
