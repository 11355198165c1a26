// The query library's contract. Scenes, generated dashboards, generated PrometheusRules and promtool tests all
// take PromQL from entries of this shape; nothing else in the project writes a PromQL expression.

export type QueryCategory =
  'falco-runtime' | 'falco-health' | 'workload-resources' | 'network' | 'api-server' | 'posture' | 'compliance';

export type Exporter =
  | 'falco' // Falco >= 0.39 native /metrics (falcosecurity_falco_*)
  | 'falcosidekick' // falcosidekick >= 2.30 /metrics (falcosecurity_falcosidekick_*)
  | 'falco-exporter' // legacy falco-exporter (falco_events); cannot read Falco >= 0.44
  | 'cadvisor'
  | 'kube-state-metrics'
  | 'node-exporter'
  | 'apiserver'
  | 'kyverno'
  | 'gatekeeper'
  | 'trivy-operator'
  | 'recording-rules'; // this project's PrometheusRule (rules/prometheus)

// Where Falco event counts come from: native Falco metrics, falcosidekick (the only one with namespace/pod labels),
// or the legacy falco-exporter.
export type FalcoMetricsSource = 'native' | 'falcosidekick' | 'legacy';

// Falco's priorities, most severe first (Falco numbers them 0 = emergency ... 7 = debug).
export const FALCO_PRIORITIES = [
  'emergency',
  'alert',
  'critical',
  'error',
  'warning',
  'notice',
  'informational',
  'debug',
] as const;
export type FalcoPriority = (typeof FALCO_PRIORITIES)[number];

// A Grafana template variable: the builder writes `$name` into a regex matcher and Grafana's Prometheus datasource
// escapes the value when it interpolates it. Everything else is a literal the library escapes itself.
export interface TemplateVariable {
  variable: string;
}
export type LabelParam = string | TemplateVariable;

export interface QueryParams {
  cluster?: LabelParam;
  namespace?: LabelParam;
  pod?: LabelParam;
  node?: LabelParam;
  rule?: LabelParam;
  minPriority?: FalcoPriority; // only events at least this severe; default: all
  interval?: string; // range of rate()/increase(); default '$__rate_interval'
  topN?: number; // for topk(); default 10
  falcoSource?: FalcoMetricsSource; // default 'native'
}
export type ParamName = keyof QueryParams;

export type Visualization = 'timeseries' | 'stat' | 'table' | 'bargauge' | 'gauge';

export interface QueryEntry {
  id: string; // stable, dotted: 'falco.events.by_priority'
  title: string;
  description: string; // what it detects and why it matters, for the library page and panel descriptions
  category: QueryCategory;
  params: ParamName[]; // the parameters the expression takes
  unit: string; // Grafana unit id: 'ops', 'percentunit', 'bytes', 'Bps', 'pps', 'short', 's'
  visualization: Visualization;
  legend?: string; // legendFormat, e.g. '{{rule_name}}'
  legendFor?: (p: QueryParams) => string; // when the label names depend on the parameters (the Falco source)
  exporters: (p: QueryParams) => Exporter[]; // what must be scraped for the query to return data
  related: string[]; // ids of related entries
  recordingRule?: string; // name of the recording rule that precomputes the heavy part, when there is one
  build: (p: QueryParams) => string;
  // The same result from the raw series, for when a record `build` reads is not installed: slower over long ranges.
  fallback?: (p: QueryParams) => string;
  // A fact per series as last seen in the range (a container's limit), not its history: whatever the visualization,
  // the panel runs one instant query at the range's end (a day of 1,200 containers' limits took 2 s as a range query).
  instant?: boolean;
}

export interface ExporterInfo {
  title: string;
  probeMetric: string; // a metric every healthy install of the exporter exposes: a cheap presence check
  howToEnable: string; // one or two sentences, e.g. the Falco chart values to set
}
