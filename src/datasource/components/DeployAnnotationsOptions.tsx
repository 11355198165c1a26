import React from 'react';
import { Field, Input } from '@grafana/ui';
import type { FalcoQuery } from '../types';

interface Props {
  query: FalcoQuery;
  onChange: (q: FalcoQuery) => void;
  onRunQuery: () => void;
}

// The deploy annotations query: optionally one rule (template variables allowed), so only the deploys that changed it show.
export function DeployAnnotationsOptions({ query, onChange, onRunQuery }: Props) {
  return (
    <Field label="Rule" description="Only the deploys that changed this rule; empty shows every deploy and rollback">
      <Input
        id="falco-deploy-annotations-rule"
        value={query.rule ?? ''}
        placeholder="Terminal shell in container"
        onChange={(e) => onChange({ ...query, rule: e.currentTarget.value })}
        onBlur={onRunQuery}
      />
    </Field>
  );
}
