import React from 'react';
import { Combobox, ComboboxOption, Field, Input, Stack, TagsInput } from '@grafana/ui';
import { EventFilters, FALCO_PRIORITIES, ListFilter } from '../types';

interface Props {
  filters: EventFilters | undefined;
  onChange: (filters: EventFilters) => void;
}

const PRIORITY_OPTIONS: ComboboxOption[] = FALCO_PRIORITIES.map((p) => ({
  value: p,
  label: p[0].toUpperCase() + p.slice(1),
  description: `${p} and more severe`,
}));

// The list filters in the order an analyst narrows down: what fired, then where.
export const LIST_FILTER_FIELDS: Array<{ key: ListFilter; label: string; placeholder: string }> = [
  { key: 'rules', label: 'Rule', placeholder: 'Terminal shell in container' },
  { key: 'sources', label: 'Source', placeholder: 'syscall, k8s_audit' },
  { key: 'tags', label: 'Tag', placeholder: 'container, T1059' },
  { key: 'hostnames', label: 'Hostname', placeholder: 'node-1' },
  { key: 'namespaces', label: 'Namespace', placeholder: 'default' },
  { key: 'pods', label: 'Pod', placeholder: 'nginx-7d4b9' },
  { key: 'images', label: 'Image', placeholder: 'docker.io/library/nginx' },
];

// Every filter of the event query types; each list takes several values (Enter adds one, any matches) and $variables.
export function EventFiltersEditor({ filters = {}, onChange }: Props) {
  const set = (patch: Partial<EventFilters>) => {
    const next: EventFilters = { ...filters, ...patch };
    for (const k of Object.keys(next) as Array<keyof EventFilters>) {
      const v = next[k];
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) {
        delete next[k];
      }
    }
    onChange(next);
  };
  const priority = filters.minPriority;
  const priorityOptions =
    priority && !PRIORITY_OPTIONS.some((o) => o.value === priority)
      ? [...PRIORITY_OPTIONS, { value: priority, label: priority }] // a $variable
      : PRIORITY_OPTIONS;
  return (
    <Stack direction="column" gap={1}>
      <Stack gap={2} wrap="wrap">
        <Field label="Minimum priority" noMargin>
          <Combobox
            aria-label="Minimum priority"
            placeholder="Any priority"
            options={priorityOptions}
            value={priority ?? null}
            isClearable
            createCustomValue
            width={24}
            onChange={(option) => set({ minPriority: option?.value })}
          />
        </Field>
        <Field label="Cluster" noMargin>
          <Input
            aria-label="Cluster"
            defaultValue={filters.cluster ?? ''}
            placeholder="Any cluster"
            width={24}
            onBlur={(e) => {
              const v = e.currentTarget.value.trim();
              if (v !== (filters.cluster ?? '')) {
                set({ cluster: v });
              }
            }}
          />
        </Field>
        <Field label="Text" noMargin>
          <Input
            aria-label="Text"
            defaultValue={filters.text ?? ''}
            placeholder="Anywhere in the output, e.g. /etc/shadow"
            width={40}
            onBlur={(e) => {
              const v = e.currentTarget.value.trim();
              if (v !== (filters.text ?? '')) {
                set({ text: v });
              }
            }}
          />
        </Field>
      </Stack>
      <Stack gap={2} wrap="wrap">
        {LIST_FILTER_FIELDS.map(({ key, label, placeholder }) => (
          <Field key={key} label={label} htmlFor={`falco-filter-${key}`} noMargin>
            <TagsInput
              id={`falco-filter-${key}`}
              placeholder={placeholder}
              tags={filters[key] ?? []}
              addOnBlur
              autoColors={false}
              width={30}
              onChange={(tags) => set({ [key]: tags })}
            />
          </Field>
        ))}
      </Stack>
    </Stack>
  );
}
