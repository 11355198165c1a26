import React from 'react';
import { Combobox, Field, Input, Stack } from '@grafana/ui';
import {
  DEFAULT_EVENTS_LIMIT,
  FalcoQuery,
  GROUP_BY_FIELDS,
  GroupByField,
  MAX_EVENTS_LIMIT,
  QueryType,
  VALUE_FIELDS,
  ValueField,
} from '../types';
import { EventFiltersEditor } from './EventFiltersEditor';

interface Props {
  query: FalcoQuery;
  onChange: (query: FalcoQuery) => void;
  onRunQuery: () => void;
}

const FIELD_LABELS: Record<ValueField, string> = {
  priority: 'Priority',
  rule: 'Rule',
  namespace: 'Namespace',
  pod: 'Pod',
  hostname: 'Hostname',
  source: 'Source',
  tag: 'Tag',
  cluster: 'Cluster',
  image: 'Image',
};
const GROUP_BY_OPTIONS = GROUP_BY_FIELDS.map((f) => ({ value: f, label: FIELD_LABELS[f] }));
const VALUE_FIELD_OPTIONS = VALUE_FIELDS.map((f) => ({ value: f, label: FIELD_LABELS[f] }));

// A limit as the backend takes it: a whole number from 1 to 1000, or nothing for the default.
export function parseLimit(raw: string): number | undefined | 'invalid' {
  if (raw.trim() === '') {
    return undefined;
  }
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= MAX_EVENTS_LIMIT ? n : 'invalid';
}

// The options of the event query types: what each type needs (limit, group by, field, id) and every filter.
export function EventQueryOptions({ query, onChange, onRunQuery }: Props) {
  const [limitError, setLimitError] = React.useState<string>();
  const update = (patch: Partial<FalcoQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };
  const type = query.queryType;
  return (
    <Stack direction="column" gap={1}>
      <Stack gap={2} wrap="wrap">
        {type === QueryType.Events && (
          <Field label="Limit" invalid={!!limitError} error={limitError} noMargin>
            <Input
              aria-label="Limit"
              type="number"
              width={16}
              defaultValue={query.limit ?? ''}
              placeholder={String(DEFAULT_EVENTS_LIMIT)}
              onBlur={(e) => {
                const limit = parseLimit(e.currentTarget.value);
                if (limit === 'invalid') {
                  setLimitError(`A whole number from 1 to ${MAX_EVENTS_LIMIT}`);
                  return;
                }
                setLimitError(undefined);
                if (limit !== query.limit) {
                  update({ limit });
                }
              }}
            />
          </Field>
        )}
        {type === QueryType.EventCounts && (
          <Field label="Group by" noMargin>
            <Combobox<GroupByField>
              aria-label="Group by"
              options={GROUP_BY_OPTIONS}
              value={query.groupBy ?? 'priority'}
              width={24}
              onChange={(o) => update({ groupBy: o.value })}
            />
          </Field>
        )}
        {type === QueryType.EventValues && (
          <Field label="Field" noMargin>
            <Combobox<ValueField>
              aria-label="Field"
              options={VALUE_FIELD_OPTIONS}
              value={query.field ?? 'rule'}
              width={24}
              onChange={(o) => update({ field: o.value })}
            />
          </Field>
        )}
        {type === QueryType.Event && (
          <Field label="Event id" noMargin>
            <Input
              aria-label="Event id"
              width={48}
              defaultValue={query.id ?? ''}
              onBlur={(e) => {
                const id = e.currentTarget.value.trim();
                if (id !== (query.id ?? '')) {
                  update({ id: id || undefined });
                }
              }}
            />
          </Field>
        )}
      </Stack>
      {type !== QueryType.Event && (
        <EventFiltersEditor
          filters={query.filters}
          onChange={(filters) => update({ filters: Object.keys(filters).length ? filters : undefined })}
        />
      )}
    </Stack>
  );
}
