import React from 'react';
import { Icon, Stack, Text } from '@grafana/ui';
import { css } from '@emotion/css';
import type { RuleDiagnostic } from '../../api/rules';

interface Props {
  diagnostics: RuleDiagnostic[];
  // The files open in the editor; a problem elsewhere is listed but cannot be jumped to.
  fileNames: string[];
  onSelect: (d: RuleDiagnostic) => void;
}

const row = css({
  display: 'flex',
  gap: 8,
  alignItems: 'baseline',
  width: '100%',
  textAlign: 'left',
  background: 'none',
  border: 'none',
  padding: '2px 4px',
  color: 'inherit',
  cursor: 'pointer',
  '&:disabled': { cursor: 'default' },
});

// ProblemsList shows every diagnostic with its place; clicking one puts the cursor there.
export function ProblemsList({ diagnostics, fileNames, onSelect }: Props) {
  return (
    <ul aria-label="Problems" className={css({ listStyle: 'none', margin: 0, padding: 0 })}>
      {diagnostics.map((d, i) => (
        <li key={`${d.file}:${d.line}:${d.column}:${d.code}:${i}`}>
          <button className={row} disabled={!fileNames.includes(d.file)} onClick={() => onSelect(d)}>
            <Icon
              name={d.severity === 'error' ? 'exclamation-circle' : 'exclamation-triangle'}
              color={d.severity === 'error' ? 'red' : 'orange'}
              aria-label={d.severity}
            />
            <Text color="secondary">{`${d.file}:${d.line}:${d.column}`}</Text>
            <Stack direction="column" gap={0}>
              <Text>
                {d.message}
                {d.item_name ? ` (${d.item_type ?? 'item'} '${d.item_name}')` : ''}
              </Text>
              <Text color="secondary" variant="bodySmall">
                {d.code}: {d.codedesc}
              </Text>
            </Stack>
          </button>
        </li>
      ))}
    </ul>
  );
}
