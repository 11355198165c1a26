import React from 'react';
import { Alert, Stack, Text } from '@grafana/ui';
import type { PreviewSample, PreviewWindow, TuningPreview } from './tuningApi';

const PERIOD: Record<string, string> = { '24h': 'Last 24 h', '7d': 'Last 7 days' };

function windowText(w: PreviewWindow): string {
  const silenced = `${w.matched.toLocaleString()} of ${w.total.toLocaleString()} stored events silenced, ${w.left.toLocaleString()} left`;
  return w.exact ? silenced : `${silenced}; ${w.unknown.toLocaleString()} unknown`;
}

function Samples({ title, samples }: { title: string; samples: PreviewSample[] }) {
  if (samples.length === 0) {
    return null;
  }
  return (
    <section aria-label={title}>
      <Text element="h6">{title}</Text>
      <ul>
        {samples.map((s) => (
          <li key={s.id}>
            <Text variant="bodySmall">{s.output}</Text>
          </li>
        ))}
      </ul>
    </section>
  );
}

// ExceptionPreview says what the draft would have silenced of the rule's stored events, exact or not.
export function ExceptionPreview({ preview }: { preview: TuningPreview }) {
  if (preview.unavailable) {
    return (
      <Alert severity="info" title="What it would silence cannot be counted">
        {preview.unavailable}
      </Alert>
    );
  }
  const unknown = preview.unknownFields ?? [];
  return (
    <section aria-label="What it would have silenced">
      <Text element="h5">What it would have silenced</Text>
      <Stack direction="column" gap={1}>
        {(preview.windows ?? []).map((w) => (
          <Text key={w.period}>
            {PERIOD[w.period] ?? w.period}: {windowText(w)}
          </Text>
        ))}
        {unknown.length > 0 && (
          <Text color="secondary">
            Unknown for {unknown.join(', ')}: the stored events do not carry that field, or the comparison is not one
            the preview evaluates. Those events are counted as unknown, not guessed.
          </Text>
        )}
        {(preview.warnings ?? []).map((w) => (
          <Alert key={w} severity="warning" title="Check the scope">
            {w}
          </Alert>
        ))}
        <Samples title="Events it would silence" samples={preview.matched ?? []} />
        <Samples title="Events it would keep" samples={preview.unmatched ?? []} />
      </Stack>
    </section>
  );
}
