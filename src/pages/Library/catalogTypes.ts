import type { QueryCategory, QueryEntry, QueryParams } from '../../queries/types';

// What the Library page needs from the query library; the page wires the real registry (catalog.ts), tests may pass
// a small catalog of their own.
export interface LibraryCatalog {
  entries: QueryEntry[];
  build: (entry: QueryEntry, params: QueryParams) => string;
  legend: (entry: QueryEntry, params: QueryParams) => string | undefined; // Falco label names follow the source
}

// Category names as the page shows them, in the order the page lists them.
export const CATEGORY_TITLES: Record<QueryCategory, string> = {
  'falco-runtime': 'Falco runtime',
  'falco-health': 'Falco health',
  'workload-resources': 'Workload resources',
  network: 'Network',
  'api-server': 'API server',
  posture: 'Posture',
  compliance: 'Compliance',
};
