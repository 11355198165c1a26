import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';
import type { DeployOptions, DeploySecureOptions } from './deployOptions';

// Query types the backend answers; pkg/plugin registers the same strings.
export const QueryType = {
  StoreStatus: 'storeStatus',
  Rules: 'rules',
} as const;
export type QueryTypeName = (typeof QueryType)[keyof typeof QueryType];

export const QUERY_TYPE_OPTIONS: Array<{ value: QueryTypeName; label: string; description: string }> = [
  {
    value: QueryType.StoreStatus,
    label: 'Event store status',
    description: 'One row on the configured event store: kind, location, whether it is writable, size.',
  },
  {
    value: QueryType.Rules,
    label: 'Rules',
    description:
      'The effective Falco ruleset (defaults plus custom rules): priority, source, tags, file, MITRE tactic.',
  },
];

// Falco priorities, most severe first (one list for the app and the datasource); pkg/plugin/rules_query.go accepts the same names.
import { FALCO_PRIORITIES, type FalcoPriority } from '../queries/types';
export { FALCO_PRIORITIES, type FalcoPriority };

export interface FalcoQuery extends DataQuery {
  queryType?: QueryTypeName;
  // Options of the rules query (pkg/plugin/rules_query.go rulesQuery).
  customRules?: string;
  minPriority?: FalcoPriority;
  source?: string;
  tag?: string;
  search?: string;
}

export const DEFAULT_QUERY: Partial<FalcoQuery> = {
  queryType: QueryType.StoreStatus,
};

export type EventStoreKind = 'sqlite' | 'loki';

// FalcoOptions is the datasource's jsonData; pkg/plugin/settings.go parses the same keys.
export interface FalcoOptions extends DataSourceJsonData, DeployOptions {
  eventStore?: EventStoreKind;
  sqlitePath?: string;
  lokiUrl?: string;
  retentionDays?: number;
}

// FalcoSecureOptions never come back to the browser once saved.
export interface FalcoSecureOptions extends DeploySecureOptions {
  ingestToken?: string;
}
