import type { DataLink } from '@grafana/data';
import { drilldownUrl, prefixRoute } from '../constants';
import type { Exporter, Visualization } from '../queries/types';
import type { DrilldownKind, PageVariable } from './spec';

export type SubjectLabels = Partial<Record<'namespace' | 'pod' | 'rule', string>>;

// Where each part of a drilldown subject may be found, in order of preference.
const CANDIDATES: Record<keyof SubjectLabels, string[]> = {
  namespace: ['k8s_ns_name', 'namespace'],
  pod: ['k8s_pod_name', 'pod'],
  rule: ['rule_name', 'rule'],
};

// The real label names of the drilldown subject in a query's series: the labels its legend names (the legend shows
// the labels the query keeps), else what its exporter calls them.
export function subjectLabels(exporters: Exporter[], legend?: string): SubjectLabels {
  const fromLegend: SubjectLabels = {};
  for (const [part, labels] of Object.entries(CANDIDATES) as Array<[keyof SubjectLabels, string[]]>) {
    const label = labels.find((l) => legend?.includes(`{{${l}}}`));
    if (label) {
      fromLegend[part] = label;
    }
  }
  if (Object.keys(fromLegend).length > 0) {
    return fromLegend;
  }
  if (exporters.includes('recording-rules')) {
    return { namespace: 'namespace', pod: 'pod' }; // the project's recording rules relabel to namespace/pod
  }
  if (exporters.includes('falcosidekick') || exporters.includes('falco-exporter')) {
    return { namespace: 'k8s_ns_name', pod: 'k8s_pod_name', rule: 'rule' };
  }
  if (exporters.includes('falco')) {
    return { rule: 'rule_name' }; // native Falco metrics carry no workload labels
  }
  return { namespace: 'namespace', pod: 'pod' };
}

const SUBJECT_OF: Record<DrilldownKind, Array<keyof SubjectLabels>> = {
  namespace: ['namespace'],
  pod: ['namespace', 'pod'],
  rule: ['rule'],
};

// Variables a link carries; the drilldown's subject travels in the path instead.
const CARRIED: PageVariable[] = ['datasource', 'cluster', 'falcoSource', 'minPriority'];

// The query string every app link carries: the time range and the current page's filters.
export function carriedQuery(pageVariables: PageVariable[]): string {
  const vars = CARRIED.filter((v) => pageVariables.includes(v)).map((v) => `\${${v}:queryparam}`);
  return ['${__url_time_range}', ...vars].join('&');
}

// A placeholder Grafana fills per clicked series (a label) or table row (a column).
function placeholder(label: string, visualization: Visualization): string {
  return visualization === 'table'
    ? `\${__data.fields.${label}:percentencode}`
    : `\${__field.labels.${label}:percentencode}`;
}

// The data link from a panel's series or rows to the drilldown of the pod, namespace or rule they are about;
// undefined when the query's series do not carry the labels the drilldown needs.
export function drilldownLink(
  kind: DrilldownKind,
  page: string,
  labels: SubjectLabels,
  visualization: Visualization,
  pageVariables: PageVariable[]
): DataLink | undefined {
  const values: Record<string, string> = {};
  for (const part of SUBJECT_OF[kind]) {
    const label = labels[part];
    if (!label) {
      return undefined;
    }
    values[part] = placeholder(label, visualization);
  }
  const url = `${drilldownUrl(page, kind, values, (v) => v)}?${carriedQuery(pageVariables)}`;
  const names = SUBJECT_OF[kind].map((part) => values[part].replace(':percentencode', '')).join('/');
  return { title: `Open ${kind} ${names}`, url };
}

// The link of a single number to the page that explains it.
export function pageLink(page: string, title: string, pageVariables: PageVariable[]): DataLink {
  return { title: `Open ${title}`, url: `${prefixRoute(page)}?${carriedQuery(pageVariables)}` };
}
