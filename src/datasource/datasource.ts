import {
  CoreApp,
  DataSourceInstanceSettings,
  ScopedVars,
  StandardVariableQuery,
  StandardVariableSupport,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { interpolateQuery } from './interpolate';
import { DEFAULT_QUERY, FalcoOptions, FalcoQuery, QUERY_TYPE_OPTIONS, QueryType, VALUE_FIELDS } from './types';
import { VariableQueryEditor } from './components/VariableQueryEditor';

// Template variables list the distinct values of an event field (eventValues), most frequent first.
export class FalcoVariableSupport extends StandardVariableSupport<DataSource> {
  editor = VariableQueryEditor;

  // A variable saved as text ("namespace") lists that field; one saved by the editor carries field and filters.
  toDataQuery(query: StandardVariableQuery | FalcoQuery): FalcoQuery {
    const { query: text, ...rest } = query as StandardVariableQuery & FalcoQuery;
    const named = VALUE_FIELDS.find((f) => f === String(text ?? '').trim());
    return {
      ...rest,
      refId: rest.refId ?? 'variable',
      queryType: QueryType.EventValues,
      field: rest.field ?? named ?? 'rule',
    };
  }
}

export class DataSource extends DataSourceWithBackend<FalcoQuery, FalcoOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<FalcoOptions>) {
    super(instanceSettings);
    this.variables = new FalcoVariableSupport();
    // Grafana's standard annotation support: the deployAnnotations query answers a frame with time, title, text, tags.
    this.annotations = {};
  }

  getDefaultQuery(_: CoreApp): Partial<FalcoQuery> {
    return DEFAULT_QUERY;
  }

  // Only queries of a type the backend knows are sent; the editor shows why others are not.
  filterQuery(query: FalcoQuery): boolean {
    return !query.hide && QUERY_TYPE_OPTIONS.some((o) => o.value === query.queryType);
  }

  // The backend never sees a template variable: multi-value variables become lists, "All" drops the filter.
  applyTemplateVariables(query: FalcoQuery, scopedVars: ScopedVars): FalcoQuery {
    return interpolateQuery(getTemplateSrv().replace.bind(getTemplateSrv()), query, scopedVars);
  }

  // Explore and "Copy to dashboard" keep the interpolated query.
  interpolateVariablesInQueries(queries: FalcoQuery[], scopedVars: ScopedVars): FalcoQuery[] {
    return queries.map((q) => this.applyTemplateVariables(q, scopedVars));
  }

  // The inspector names the query type.
  getQueryDisplayText(query: FalcoQuery): string {
    return QUERY_TYPE_OPTIONS.find((o) => o.value === query.queryType)?.label ?? String(query.queryType ?? '');
  }
}
