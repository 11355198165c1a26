import { DashboardLinkBuilder, DashboardLinkType } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Exporter, Visualization } from '../queries/types';
import { subjectLabels } from '../scenes/drilldownLinks';
import type { DrilldownKind, PageVariable } from '../scenes/spec';

// Every generated dashboard's uid is this prefix and its page id, so links and bookmarks survive regeneration.
export const dashboardUid = (pageId: string) => `containersec-${pageId}`;

// Variables a link carries when the target dashboard has them too; the drilldown's subject travels separately.
const CARRIED: PageVariable[] = ['datasource', 'cluster'];

// A recording rule's series carry namespace/pod whatever exporters feed it; subjectLabels reads the inputs' labels.
// The legend, when given, names the labels the query keeps (a query that joins falcosidekick to kube-state-metrics
// relabels k8s_pod_name to pod).
function seriesLabels(exporters: Exporter[], legend?: string): ReturnType<typeof subjectLabels> {
  return exporters.includes('recording-rules') && !legend
    ? { namespace: 'namespace', pod: 'pod' }
    : subjectLabels(exporters, legend);
}

const SUBJECT_OF: Record<DrilldownKind, Array<'namespace' | 'pod' | 'rule'>> = {
  namespace: ['namespace'],
  pod: ['namespace', 'pod'],
  rule: ['rule'],
};

// The query string of a link: the carried variables (Grafana URL-encodes them) and the time range.
export function carriedQuery(from: PageVariable[], to: PageVariable[]): string[] {
  const vars = CARRIED.filter((v) => from.includes(v) && to.includes(v)).map((v) => `\${${v}:queryparam}`);
  return [...vars, '${__url_time_range}'];
}

// A value Grafana fills per clicked series (a label) or table row (a column), percent-encoded for the URL.
function placeholder(label: string, visualization: Visualization): string {
  return visualization === 'table'
    ? `\${__data.fields.${label}:percentencode}`
    : `\${__field.labels.${label}:percentencode}`;
}

export interface LinkTarget {
  id: string;
  title: string;
  variables: PageVariable[];
}

// The data link from a panel's series or rows to the drilldown dashboard of the namespace, pod or rule they are
// about; undefined when the query's series do not carry the labels that drilldown needs.
export function drilldownDataLink(
  target: LinkTarget,
  kind: DrilldownKind,
  exporters: Exporter[],
  visualization: Visualization,
  from: PageVariable[],
  legend?: string
): DashboardLinkBuilder | undefined {
  const labels = seriesLabels(exporters, legend);
  const subject: string[] = [];
  for (const part of SUBJECT_OF[kind]) {
    const label = labels[part];
    if (!label) {
      return undefined;
    }
    subject.push(`var-${part}=${placeholder(label, visualization)}`);
  }
  const url = `/d/${dashboardUid(target.id)}?${[...subject, ...carriedQuery(from, target.variables)].join('&')}`;
  return new DashboardLinkBuilder(`Open ${target.title.toLowerCase()} dashboard`).type(DashboardLinkType.Link).url(url);
}

// The link of a single number to the dashboard that explains it.
export function pageLink(target: LinkTarget, from: PageVariable[]): DashboardLinkBuilder {
  return new DashboardLinkBuilder(`Open ${target.title}`)
    .type(DashboardLinkType.Link)
    .url(`/d/${dashboardUid(target.id)}?${carriedQuery(from, target.variables).join('&')}`);
}
