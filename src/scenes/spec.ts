import type { QueryParams, Visualization } from '../queries/types';

// A page as data: the scenes (src/pages) and the generated dashboards (dashboards/, scripts) are both built from
// these specs, so an app page and its plain-dashboard twin show the same panels with the same queries.

export type DrilldownKind = 'pod' | 'namespace' | 'rule';

// The page variables the app offers; both the scenes and the generated dashboards define them under these names.
// 'rule' is used only by the rule drilldown.
export type PageVariable = 'datasource' | 'cluster' | 'namespace' | 'pod' | 'falcoSource' | 'minPriority' | 'rule';

// A colour from `value` up; the first step's value is null (from minus infinity), as in dashboard JSON.
export interface ThresholdStep {
  value: number | null;
  color: string;
}

export interface PanelSpec {
  title: string;
  queryId: string; // a QueryEntry id from src/queries
  params?: Partial<QueryParams>; // fixed parameters (topN, interval); page variables supply the rest
  visualization?: Visualization; // overrides the entry's suggestion
  width?: number; // grid columns, 1..24
  height?: number; // grid rows (Grafana's 30 px units)
  description?: string; // defaults to the entry's description
  drilldown?: DrilldownKind; // rows/series of this panel link to that drilldown
  pageLink?: string; // a panel without rows to drill into (a single number) links to this page id instead
  noValue?: string; // what the panel shows when the query returns no series, e.g. '0' for a count of rare events
  thresholds?: ThresholdStep[]; // colours of a single value that means good or bad (stat, bar gauge, gauge)
  // How a stat reads a time series over the range instead of its last point: 'sum' adds up a per-interval event count
  // (adjacent windows: the range's total), 'max' takes the peak of a score.
  reduce?: 'sum' | 'max';
}

export interface RowSpec {
  title?: string;
  panels: PanelSpec[];
}

export interface PageSpec {
  id: string; // the page's route (ROUTES value) and the generated dashboard's uid suffix
  title: string;
  description: string;
  variables: PageVariable[];
  rows: RowSpec[];
  // The app page's panels carry the Falco rules deploys as annotations (src/scenes/deployAnnotations.ts); the rule
  // drilldown's carry the deploys that changed its rule. Generated dashboards do not have them.
  deployAnnotations?: boolean;
}
