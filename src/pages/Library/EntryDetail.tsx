import React from 'react';
import { Alert, Button, LoadingPlaceholder, Stack, Text, TextLink } from '@grafana/ui';
import type { QueryEntry } from '../../queries/types';
import { CATEGORY_TITLES } from './catalogTypes';
import type { LibraryScene } from './LibraryScene';
import { ParameterForm } from './ParameterForm';
import { QueryCode } from './QueryCode';
import { MissingExporters } from '../../scenes/MissingExporters';
import { EXPORTERS } from '../../queries';

// One entry: what it detects, what it needs, its parameters, its PromQL and a live preview.
export function EntryDetail({ model, entry }: { model: LibraryScene; entry: QueryEntry }) {
  const { preview } = model.useState();
  const built = model.builtQuery(entry);
  const missing = model.missingExporters(entry);
  const exporters = model.requiredExporters(entry);
  const related = entry.related
    .map((id) => model.catalog.entries.find((e) => e.id === id))
    .filter((e): e is QueryEntry => Boolean(e));
  return (
    <Stack direction="column" gap={2}>
      <Stack direction="column" gap={1}>
        <Text element="h2">{entry.title}</Text>
        <Text>{entry.description}</Text>
        <Text color="secondary">
          {CATEGORY_TITLES[entry.category]} · needs{' '}
          {exporters.map((e) => EXPORTERS[e]?.title ?? e).join(', ') || 'no exporter'} · unit {entry.unit}
          {entry.recordingRule && ` · reads the recording rule ${entry.recordingRule}`}
        </Text>
      </Stack>
      {related.length > 0 && (
        <Stack gap={1} alignItems="center" wrap="wrap">
          <Text color="secondary">Related:</Text>
          {related.map((r) => (
            <Button key={r.id} size="sm" variant="secondary" fill="outline" onClick={() => model.selectEntry(r.id)}>
              {r.title}
            </Button>
          ))}
        </Stack>
      )}
      <ParameterForm model={model} entry={entry} />
      {built.error !== undefined ? (
        <Alert severity="error" title="These parameters do not make a query">
          {built.error}
        </Alert>
      ) : (
        <QueryCode model={model} entry={entry} expr={built.expr ?? ''} />
      )}
      {missing.length > 0 ? (
        <MissingExporters title={entry.title} exporters={missing} />
      ) : (
        built.expr !== undefined &&
        (preview ? (
          <div style={{ height: 320 }}>
            <preview.Component model={preview} />
          </div>
        ) : (
          <LoadingPlaceholder text="Checking that this Prometheus has the metrics the query needs…" />
        ))
      )}
      <Text variant="bodySmall" color="secondary">
        Every query comes from the app&apos;s query library; the same entry feeds the dashboards and alert rules.{' '}
        <TextLink href="https://prometheus.io/docs/prometheus/latest/querying/basics/" external>
          PromQL basics
        </TextLink>
      </Text>
    </Stack>
  );
}
