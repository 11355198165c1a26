import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';
import type { DeployOptions, DeploySecureOptions } from './deployOptions';

// Query types the backend answers; pkg/plugin registers the same strings.
export const QueryType = {
  Events: 'events',
  EventCounts: 'eventCounts',
  EventValues: 'eventValues',
  Event: 'event',
  StoreStatus: 'storeStatus',
  Rules: 'rules',
  DeployAnnotations: 'deployAnnotations',
} as const;
export type QueryTypeName = (typeof QueryType)[keyof typeof QueryType];

export const QUERY_TYPE_OPTIONS: Array<{ value: QueryTypeName; label: string; description: string }> = [
  {
    value: QueryType.Events,
    label: 'Events',
    description: 'Falco events, newest first, as a table: time, priority, rule, workload, output and every field.',
  },
  {
    value: QueryType.EventCounts,
    label: 'Event counts',
    description:
      'Events per query interval as time series, one per priority, rule, namespace, pod, node, source or tag; usable in alert rules.',
  },
  {
    value: QueryType.EventValues,
    label: 'Event values',
    description: 'The distinct values of one event field, most frequent first (for template variables).',
  },
  {
    value: QueryType.Event,
    label: 'One event',
    description: 'One event by its id, with every field.',
  },
  {
    value: QueryType.StoreStatus,
    label: 'Event store status',
    description: 'One row on the configured event store: events kept, oldest and newest, size, last ingest, refusals.',
  },
  {
    value: QueryType.Rules,
    label: 'Rules',
    description:
      'The effective Falco ruleset (defaults plus custom rules): priority, source, tags, file, MITRE tactic.',
  },
  {
    value: QueryType.DeployAnnotations,
    label: 'Rules deploys',
    description:
      'Deploys, rollbacks and recoveries of the Falco release as annotations: user, action, revision, files and the rules each changed.',
  },
];

// Falco priorities, most severe first (one list for the app and the datasource); pkg/plugin/rules_query.go accepts the same names.
import { FALCO_PRIORITIES, type FalcoPriority } from '../queries/types';
export { FALCO_PRIORITIES, type FalcoPriority };

// What eventCounts can group by and eventValues can list (events-api.md).
export const GROUP_BY_FIELDS = ['priority', 'rule', 'namespace', 'pod', 'hostname', 'source', 'tag'] as const;
export type GroupByField = (typeof GROUP_BY_FIELDS)[number];
export const VALUE_FIELDS = [...GROUP_BY_FIELDS, 'cluster', 'image'] as const;
export type ValueField = (typeof VALUE_FIELDS)[number];

// Filters of the event query types; lists match any of their values, and every filter that is set must match.
export interface EventFilters {
  minPriority?: string; // a Falco priority name, or a template variable before interpolation
  rules?: string[];
  sources?: string[];
  tags?: string[];
  cluster?: string;
  hostnames?: string[];
  namespaces?: string[];
  pods?: string[];
  images?: string[];
  text?: string;
}
export const LIST_FILTERS = ['rules', 'sources', 'tags', 'hostnames', 'namespaces', 'pods', 'images'] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

export const DEFAULT_EVENTS_LIMIT = 100;
export const MAX_EVENTS_LIMIT = 1000;

export interface FalcoQuery extends DataQuery {
  queryType?: QueryTypeName;
  // Event query types (events, eventCounts, eventValues, event).
  filters?: EventFilters;
  limit?: number; // events: default 100, at most 1000
  cursor?: string; // events: the nextCursor of the previous page
  groupBy?: GroupByField; // eventCounts
  field?: ValueField; // eventValues
  id?: string; // event
  // Options of the rules query (pkg/plugin/rules_query.go rulesQuery).
  customRules?: string;
  minPriority?: FalcoPriority;
  source?: string;
  tag?: string;
  search?: string;
  // deployAnnotations: only the revisions that changed this rule; the release (both or neither: the only Falco release).
  rule?: string;
  namespace?: string;
  name?: string;
}

export const DEFAULT_QUERY: Partial<FalcoQuery> = {
  queryType: QueryType.Events,
  limit: DEFAULT_EVENTS_LIMIT,
};

export type EventStoreKind = 'sqlite' | 'loki';

// FalcoOptions is the datasource's jsonData; pkg/plugin/settings.go parses the same keys.
export interface FalcoOptions extends DataSourceJsonData, DeployOptions {
  eventStore?: EventStoreKind;
  sqlitePath?: string;
  lokiUrl?: string;
  retentionDays?: number;
  maxStoreMB?: number; // default 1024
  defaultCluster?: string; // the cluster of events that do not name one
  clusterField?: string; // the output_fields key that names an event's cluster
  falcoPlugins?: string[]; // the plugins the user's Falco loads (load_plugins), for the rules checker's event sources
}

// FalcoSecureOptions never come back to the browser once saved.
export interface FalcoSecureOptions extends DeploySecureOptions {
  ingestToken?: string;
}
