import React from 'react';
import { Combobox, Field, RadioButtonGroup, Stack } from '@grafana/ui';
import { FALCO_PRIORITIES, FalcoMetricsSource, FalcoPriority, QueryEntry, QueryParams } from '../../queries/types';
import type { LibraryScene } from './LibraryScene';
import { CommitInput } from './CommitInput';

type TextParam = 'cluster' | 'namespace' | 'pod' | 'node' | 'rule' | 'interval';

const TEXT_FIELDS: Record<TextParam, { label: string; placeholder: string }> = {
  cluster: { label: 'Cluster', placeholder: 'all clusters' },
  namespace: { label: 'Namespace', placeholder: 'all namespaces' },
  pod: { label: 'Pod', placeholder: 'all pods' },
  node: { label: 'Node', placeholder: 'all nodes' },
  rule: { label: 'Falco rule', placeholder: 'all rules' },
  interval: { label: 'Rate interval', placeholder: '$__rate_interval' },
};

const SOURCES: Array<{ label: string; value: FalcoMetricsSource; description: string }> = [
  { label: 'Falco', value: 'native', description: 'Falco >= 0.39 native metrics' },
  { label: 'falcosidekick', value: 'falcosidekick', description: 'the only source with namespace and pod' },
  { label: 'falco-exporter', value: 'legacy', description: 'legacy; cannot read Falco >= 0.44' },
];

export const MOVED_TO_FALCOSIDEKICK =
  'This query reads falcosidekick: native Falco metrics have no namespace or pod labels.';

// Native Falco picked, but the query needs workload labels (or a namespace/pod filter), so it reads falcosidekick.
function movedToFalcosidekick(entry: QueryEntry, params: QueryParams): boolean {
  if ((params.falcoSource ?? 'native') !== 'native') {
    return false;
  }
  const reads = entry.exporters(params);
  return reads.includes('falcosidekick') && !reads.includes('falco');
}

const PRIORITIES = FALCO_PRIORITIES.map((p) => ({ value: p, label: p }));

// A field for each parameter the entry takes; an empty field selects everything.
export function ParameterForm({ model, entry }: { model: LibraryScene; entry: QueryEntry }) {
  const { params } = model.useState();
  const set = (p: Partial<QueryParams>) => model.setParams(p);
  const text = (v: QueryParams[TextParam]) => (typeof v === 'string' ? v : '');
  return (
    <Stack gap={2} wrap="wrap" alignItems="flex-end">
      {entry.params.map((name) => {
        if (name in TEXT_FIELDS) {
          const field = TEXT_FIELDS[name as TextParam];
          return (
            <Field key={name} label={field.label} htmlFor={`library-param-${name}`} noMargin>
              <CommitInput
                id={`library-param-${name}`}
                value={text(params[name as TextParam])}
                placeholder={field.placeholder}
                onCommit={(v) => set({ [name]: v || undefined })}
              />
            </Field>
          );
        }
        if (name === 'topN') {
          return (
            <Field key={name} label="Top N" htmlFor="library-param-topN" noMargin>
              <CommitInput
                id="library-param-topN"
                type="number"
                value={params.topN === undefined ? '' : String(params.topN)}
                placeholder="10"
                onCommit={(v) => set({ topN: Number(v) > 0 ? Math.floor(Number(v)) : undefined })}
              />
            </Field>
          );
        }
        if (name === 'minPriority') {
          return (
            <Field key={name} label="At least priority" noMargin>
              <Combobox
                placeholder="all priorities"
                options={PRIORITIES}
                value={params.minPriority ?? null}
                isClearable
                width={30}
                onChange={(o) => set({ minPriority: o?.value as FalcoPriority | undefined })}
              />
            </Field>
          );
        }
        if (name === 'falcoSource') {
          return (
            <Field
              key={name}
              label="Falco metrics source"
              description={movedToFalcosidekick(entry, params) ? MOVED_TO_FALCOSIDEKICK : undefined}
              noMargin
            >
              <RadioButtonGroup
                options={SOURCES}
                value={params.falcoSource ?? 'native'}
                onChange={(falcoSource) => set({ falcoSource })}
              />
            </Field>
          );
        }
        return null;
      })}
    </Stack>
  );
}
