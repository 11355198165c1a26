import { CoreApp, DataSourceInstanceSettings } from '@grafana/data';
import { DataSourceWithBackend } from '@grafana/runtime';
import { DEFAULT_QUERY, FalcoOptions, FalcoQuery, QUERY_TYPE_OPTIONS } from './types';

export class DataSource extends DataSourceWithBackend<FalcoQuery, FalcoOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<FalcoOptions>) {
    super(instanceSettings);
  }

  getDefaultQuery(_: CoreApp): Partial<FalcoQuery> {
    return DEFAULT_QUERY;
  }

  // Only queries of a type the backend knows are sent; the editor shows why others are not.
  filterQuery(query: FalcoQuery): boolean {
    return !query.hide && QUERY_TYPE_OPTIONS.some((o) => o.value === query.queryType);
  }
}
