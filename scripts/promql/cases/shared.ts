// Shared test data for the library's promtool cases: hostile label values and the shape of one case.
import type { QueryParams } from '../../../src/queries';
import type { InputSeries, Labels, Sample } from '../promtool';

// Values an attacker controls (namespace and pod names reach labels verbatim): a quote, a backslash, regex
// metacharacters, Grafana template syntax ($, [[), a newline and non-ASCII. Each decoy is what an unescaped or
// regex-interpreted value would also match.
export const NS = 'shop"\\.*\n名';
export const NS_DECOY = 'shop"\\..\n名';
export const POD = 'api-0"} or vector(1) # ${cluster:raw} [[ns]]';
export const POD_DECOY = 'api-0';
export const RULE = 'Read sensitive file (untrusted) .*"\\';
export const RULE_DECOY = 'Read sensitive file (untrusted) xx"\\';
export const NODE = 'node-a"\\.*\n';
export const NODE_DECOY = 'node-a"\\..\n';
export const CLUSTER = 'prod"\\|.*';
export const CLUSTER_DECOY = 'prod"\\|x';

export interface QueryCase {
  name: string;
  id: string;
  params: QueryParams;
  series: InputSeries[];
  expected: Sample[];
  // For an entry that reads a recording rule, where the record is more exact than the raw form (a per-minute count
  // also counts a restart inside a longer interval); default: expected.
  recordedExpected?: Sample[];
  evalTime?: string; // default 10m
  range?: string; // what Grafana puts for $__range (the dashboard's range), for entries that rank over it
  rateInterval?: string; // what Grafana puts for $__rate_interval, for a rate whose rank is over $__range
}

// A counter growing by perMinute each minute (rate = perMinute / 60), or a constant gauge, for 80 minutes.
export const counter = (perMinute: number) => `0+${perMinute}x80`;
export const gauge = (value: number) => `${value}+0x80`;

export const s = (metric: string, labels: Labels, values: string): InputSeries => ({ metric, labels, values });
export const out = (labels: Labels, value: number): Sample => ({ labels, value });
