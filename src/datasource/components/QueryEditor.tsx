import React from 'react';
import { QueryEditorProps } from '@grafana/data';
import { Alert, Field, RadioButtonGroup } from '@grafana/ui';
import { DataSource } from '../datasource';
import { FalcoOptions, FalcoQuery, QUERY_TYPE_OPTIONS, QueryType, QueryTypeName } from '../types';
import { EventQueryOptions } from './EventQueryOptions';
import { RulesQueryOptions } from './RulesQueryOptions';
import { DeployAnnotationsOptions } from './DeployAnnotationsOptions';

type Props = QueryEditorProps<DataSource, FalcoQuery, FalcoOptions>;

const EVENT_TYPES: QueryTypeName[] = [QueryType.Events, QueryType.EventCounts, QueryType.EventValues, QueryType.Event];

export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const known = QUERY_TYPE_OPTIONS.find((o) => o.value === query.queryType);
  return (
    <>
      <Field label="Query type" description={known?.description}>
        <RadioButtonGroup<QueryTypeName>
          id="falco-query-type"
          options={QUERY_TYPE_OPTIONS}
          value={known ? query.queryType : undefined}
          onChange={(queryType) => {
            onChange({ ...query, queryType });
            onRunQuery();
          }}
        />
      </Field>
      {query.queryType && EVENT_TYPES.includes(query.queryType) && (
        // Keyed by type: each type's text fields start from the saved query, not from the previous type's input.
        <EventQueryOptions key={query.queryType} query={query} onChange={onChange} onRunQuery={onRunQuery} />
      )}
      {query.queryType === QueryType.Rules && (
        <RulesQueryOptions query={query} onChange={onChange} onRunQuery={onRunQuery} />
      )}
      {query.queryType === QueryType.DeployAnnotations && (
        <DeployAnnotationsOptions query={query} onChange={onChange} onRunQuery={onRunQuery} />
      )}
      {query.queryType && !known && (
        <Alert severity="warning" title={`Unknown query type "${query.queryType}"`}>
          This query was saved by another version of the plugin; choose one of the types above.
        </Alert>
      )}
    </>
  );
}
