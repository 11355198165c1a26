import React from 'react';
import { Input } from '@grafana/ui';

interface Props {
  id: string;
  value: string;
  placeholder?: string;
  type?: 'text' | 'number';
  onCommit: (value: string) => void;
}

// Commits on blur or Enter, as Grafana's text box variable does, so the preview does not re-query on every keystroke.
// Keyed by the committed value, so a change from the URL or a reset shows up in the field.
export function CommitInput({ id, value, placeholder, type = 'text', onCommit }: Props) {
  const commit = (draft: string) => draft !== value && onCommit(draft);
  return (
    <Input
      key={value}
      id={id}
      type={type}
      defaultValue={value}
      placeholder={placeholder}
      width={30}
      onBlur={(e) => commit(e.currentTarget.value)}
      onKeyDown={(e) => e.key === 'Enter' && commit(e.currentTarget.value)}
    />
  );
}
