import { test, expect } from './fixtures';
import { deployTestIds } from '../src/components/Deploy/testIds';

// docker compose runs Grafana outside any Kubernetes cluster: the target says why it cannot connect, and the export,
// which needs no cluster, still turns the working copy into Helm values.
test('the Rules page shows the deployment target and exports the working copy without a cluster', async ({
  gotoPage,
  page,
}) => {
  await gotoPage('/rules');
  const target = page.getByTestId(deployTestIds.target);
  await expect(target.getByRole('heading', { name: 'Deployment target' })).toBeVisible();
  await expect(
    target.getByText(/Connected through|cannot be reached|No cluster is configured|lack a permission/)
  ).toBeVisible();

  await page.getByRole('button', { name: 'Export the working copy' }).last().click();
  const exported = page.getByLabel('Export');
  await expect(exported).toContainText('customRules:');
  await expect(exported).toContainText('custom_rules.yaml: |');
  await page.getByLabel('ConfigMap').check({ force: true });
  await expect(exported).toContainText('kind: ConfigMap');
});
