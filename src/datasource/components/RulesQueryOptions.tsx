import React, { useState } from 'react';
import { Combobox, ComboboxOption, Field, Input, Stack, TextArea } from '@grafana/ui';
import { FALCO_PRIORITIES, FalcoPriority, FalcoQuery } from '../types';

interface Props {
  query: FalcoQuery;
  onChange: (query: FalcoQuery) => void;
  onRunQuery: () => void;
}

const PRIORITY_OPTIONS: Array<ComboboxOption<FalcoPriority>> = FALCO_PRIORITIES.map((p) => ({
  value: p,
  label: p[0].toUpperCase() + p.slice(1),
}));

type TextOption = 'source' | 'tag' | 'search';

// Filters and custom rules of the rules query; text fields run the query when they lose focus, not on each key.
export function RulesQueryOptions({ query, onChange, onRunQuery }: Props) {
  const [rulesText, setRulesText] = useState(query.customRules ?? '');
  const update = (patch: Partial<FalcoQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };
  const text = (key: TextOption, label: string, placeholder: string) => (
    <Field label={label} noMargin>
      <Input
        aria-label={label}
        defaultValue={query[key] ?? ''}
        placeholder={placeholder}
        width={24}
        onBlur={(e) => {
          const value = e.currentTarget.value.trim();
          if (value !== (query[key] ?? '')) {
            update({ [key]: value || undefined });
          }
        }}
      />
    </Field>
  );
  return (
    <Stack direction="column" gap={1}>
      <Stack gap={2} wrap="wrap">
        <Field label="Minimum priority" noMargin>
          <Combobox<FalcoPriority>
            aria-label="Minimum priority"
            placeholder="Any priority"
            options={PRIORITY_OPTIONS}
            value={query.minPriority ?? null}
            isClearable
            width={24}
            onChange={(option) => update({ minPriority: option?.value })}
          />
        </Field>
        {text('source', 'Source', 'syscall, k8s_audit, …')}
        {text('tag', 'Tag', 'container')}
        {text('search', 'Search', 'Rule name or tag')}
      </Stack>
      <Field
        label="Custom rules"
        description="Rules YAML loaded after Falco's default ruleset; empty shows the defaults only"
        noMargin
      >
        <TextArea
          aria-label="Custom rules"
          rows={8}
          value={rulesText}
          onChange={(e) => setRulesText(e.currentTarget.value)}
          onBlur={() => rulesText !== (query.customRules ?? '') && update({ customRules: rulesText || undefined })}
        />
      </Field>
    </Stack>
  );
}
