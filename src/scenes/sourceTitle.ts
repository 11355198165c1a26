import type { Exporter, QueryEntry } from '../queries/types';

// Which Falco metric a panel reads, in its title: the source picker says what the user asked for, but a namespace or pod
// panel reads falcosidekick whatever is picked, and the legacy pick reads falco-exporter; a fixed "(falcosidekick)" in
// a spec title was wrong for the legacy pick. The title names the metric the query really reads.
const FALCO_EVENT_EXPORTERS: Partial<Record<Exporter, string>> = {
  falco: 'Falco native',
  falcosidekick: 'falcosidekick',
  'falco-exporter': 'falco-exporter',
};
const SOURCE_SUFFIX = /\s*\((Falco|Falco native|falcosidekick|falco-exporter)\)\s*$/;

export function sourceLabelledTitle(title: string, entry: QueryEntry, exporters: Exporter[]): string {
  if (!entry.params.includes('falcoSource')) {
    return title;
  }
  const source = exporters.map((e) => FALCO_EVENT_EXPORTERS[e]).find(Boolean);
  return source ? `${title.replace(SOURCE_SUFFIX, '')} (${source})` : title;
}
