import React from 'react';
import { Stack, TextLink } from '@grafana/ui';
import type { MitreMapping } from './catalog';

// Tactics and techniques with their names and ids, each linked to its ATT&CK page.
export function MitreAttack({ mapping, empty = '—' }: { mapping: MitreMapping; empty?: string }) {
  if (mapping.tactics.length === 0 && mapping.techniques.length === 0) {
    return <>{empty}</>;
  }
  return (
    <Stack gap={1} wrap="wrap" alignItems="center">
      {mapping.tactics.map((t) => (
        <TextLink key={t.id} href={t.url} external inline={false}>
          {`${t.name} (${t.id})`}
        </TextLink>
      ))}
      {mapping.techniques.map((t) => (
        <TextLink key={t.id} href={t.url} external inline={false}>
          {t.name ? `${t.id} ${t.name}` : t.id}
        </TextLink>
      ))}
    </Stack>
  );
}
