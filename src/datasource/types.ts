import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

// Query types the backend answers; pkg/plugin registers the same strings.
export const QueryType = {
  StoreStatus: 'storeStatus',
} as const;
export type QueryTypeName = (typeof QueryType)[keyof typeof QueryType];

export const QUERY_TYPE_OPTIONS: Array<{ value: QueryTypeName; label: string; description: string }> = [
  {
    value: QueryType.StoreStatus,
    label: 'Event store status',
    description: 'One row on the configured event store: kind, location, whether it is writable, size.',
  },
];

export interface FalcoQuery extends DataQuery {
  queryType?: QueryTypeName;
}

export const DEFAULT_QUERY: Partial<FalcoQuery> = {
  queryType: QueryType.StoreStatus,
};

export type EventStoreKind = 'sqlite' | 'loki';

// FalcoOptions is the datasource's jsonData; pkg/plugin/settings.go parses the same keys.
export interface FalcoOptions extends DataSourceJsonData {
  eventStore?: EventStoreKind;
  sqlitePath?: string;
  lokiUrl?: string;
  retentionDays?: number;
}

// FalcoSecureOptions never come back to the browser once saved.
export interface FalcoSecureOptions {
  ingestToken?: string;
}
