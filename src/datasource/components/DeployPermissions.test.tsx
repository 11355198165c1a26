import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { DeployPermissions } from './DeployPermissions';
import type { PermissionCheck } from '../../api/deploy';

const check: PermissionCheck = {
  namespace: 'falco',
  name: 'falco',
  missing: 1,
  rbac: '# add to the rules of a Role in namespace falco bound to the datasource\'s identity:\n- apiGroups: [""]\n  resources: [secrets]\n  verbs: [update]\n',
  permissions: [
    {
      verb: 'update',
      group: '',
      resource: 'secrets',
      namespace: 'falco',
      why: "Helm's release storage",
      granted: false,
    },
    {
      verb: 'patch',
      group: 'apps',
      resource: 'daemonsets',
      namespace: 'falco',
      name: 'falco',
      why: 'apply DaemonSet falco',
      granted: true,
    },
  ],
};

test('lists granted and missing permissions with the RBAC rules to add', async () => {
  const load = jest.fn().mockResolvedValue([check]);
  render(<DeployPermissions uid="falco-uid" load={load} />);
  fireEvent.click(screen.getByRole('button', { name: /check deploy permissions/i }));
  const section = await screen.findByRole('region', { name: 'Permissions for falco/falco' });
  expect(load).toHaveBeenCalledWith('falco-uid');
  expect(section).toHaveTextContent('falco/falco: 1 missing');
  expect(section).toHaveTextContent("missing update secrets in falco: Helm's release storage");
  expect(section).toHaveTextContent('granted patch daemonsets.apps falco in falco: apply DaemonSet falco');
  expect(screen.getByLabelText('RBAC rules to add')).toHaveTextContent('verbs: [update]');
});

test('says why the check failed', async () => {
  render(
    <DeployPermissions
      uid="x"
      load={jest.fn().mockRejectedValue(new Error('the Kubernetes API server did not answer within 30s'))}
    />
  );
  fireEvent.click(screen.getByRole('button', { name: /check deploy permissions/i }));
  expect(await screen.findByText(/did not answer within 30s/)).toBeInTheDocument();
});
