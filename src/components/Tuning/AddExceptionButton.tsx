import React, { useState } from 'react';
import { usePluginContext } from '@grafana/data';
import { Button } from '@grafana/ui';
import { effectiveSettings } from '../../appSettings';
import type { AppSettings } from '../../constants';
import { ExceptionBuilder } from './ExceptionBuilder';

interface Props {
  rule: string;
  outputFields: Record<string, unknown>;
}

// AddExceptionButton drafts an exception of the event's rule from the event's output fields (string values only:
// a field Falco could not read, null or <NA>, is never a value an exception compares with).
export function AddExceptionButton({ rule, outputFields }: Props) {
  const context = usePluginContext<AppSettings>();
  const uid = effectiveSettings(context?.meta.jsonData).falcoDatasourceUid;
  const [open, setOpen] = useState(false);
  const seed = Object.fromEntries(
    Object.entries(outputFields).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '<NA>')
  );
  return (
    <>
      <Button size="sm" variant="secondary" icon="shield" onClick={() => setOpen(true)}>
        Add exception
      </Button>
      {open && <ExceptionBuilder datasourceUid={uid} rule={rule} seeds={[seed]} onDismiss={() => setOpen(false)} />}
    </>
  );
}
