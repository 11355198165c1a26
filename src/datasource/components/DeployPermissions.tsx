import React, { useState } from 'react';
import { Alert, Button, Stack, Text } from '@grafana/ui';
import { getPermissions, type DeployPermission, type PermissionCheck } from '../../api/deploy';

interface Props {
  uid: string;
  // The check itself; tests pass their own.
  load?: (uid: string) => Promise<PermissionCheck[]>;
}

const label = (p: DeployPermission) =>
  `${p.verb} ${p.group ? `${p.resource}.${p.group}` : p.resource}${p.name ? ` ${p.name}` : ''} ${
    p.namespace ? `in ${p.namespace}` : 'cluster-wide'
  }`;

// DeployPermissions asks the backend for every permission a deploy needs (the same check that blocks a plan) and
// lists what is granted and what is missing, with the RBAC rules to add.
export function DeployPermissions({ uid, load = getPermissions }: Props) {
  const [checks, setChecks] = useState<PermissionCheck[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setChecks(await load(uid));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack direction="column" gap={1}>
      <div>
        <Button variant="secondary" icon="shield" onClick={run} disabled={busy || !uid}>
          Check deploy permissions
        </Button>
      </div>
      {error && (
        <Alert severity="error" title="Permissions could not be checked">
          {error}
        </Alert>
      )}
      {checks?.length === 0 && <Text color="secondary">No Falco release found to check.</Text>}
      {checks?.map((c) => (
        <section key={`${c.namespace}/${c.name}`} aria-label={`Permissions for ${c.namespace}/${c.name}`}>
          <Text element="h5">
            {c.namespace}/{c.name}: {c.missing === 0 ? 'every permission granted' : `${c.missing} missing`}
          </Text>
          <ul>
            {c.permissions.map((p) => (
              <li key={`${p.verb}/${p.group}/${p.resource}/${p.namespace}/${p.name}`}>
                <Text color={p.granted ? 'success' : 'error'}>{p.granted ? 'granted' : 'missing'}</Text> {label(p)}:{' '}
                {p.why}
              </li>
            ))}
          </ul>
          {c.rbac && <pre aria-label="RBAC rules to add">{c.rbac}</pre>}
        </section>
      ))}
    </Stack>
  );
}
