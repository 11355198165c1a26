import React from 'react';
import { QueryEditorProps } from '@grafana/data';
import type { DataSource } from '../datasource';
import { FalcoOptions, FalcoQuery, QueryType } from '../types';
import { EventQueryOptions } from './EventQueryOptions';

type Props = QueryEditorProps<DataSource, FalcoQuery, FalcoOptions>;

// A template variable's query: the distinct values of one event field, narrowed by the filters.
export function VariableQueryEditor({ query, onChange, onRunQuery }: Props) {
  return (
    <EventQueryOptions
      query={{ ...query, queryType: QueryType.EventValues }}
      onChange={(q) => onChange({ ...q, queryType: QueryType.EventValues })}
      onRunQuery={onRunQuery}
    />
  );
}
