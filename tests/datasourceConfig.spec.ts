import { test, expect } from '@grafana/plugin-e2e';

const FALCO = { type: 'containersec-falco-datasource' };

test('a Falco datasource with a writable store passes Save & test', async ({ createDataSourceConfigPage, page }) => {
  const configPage = await createDataSourceConfigPage(FALCO);
  await page
    .getByPlaceholder('/var/lib/grafana/containersec-falco/events.db')
    .fill('/var/lib/grafana/containersec-falco/e2e.db');
  await page.getByPlaceholder('A long random string').fill('e2e-ingest-token');
  await expect(configPage.saveAndTest()).toBeOK();
  await expect(page.getByText(/Falco datasource is working/)).toBeVisible();
});

test('a bad Loki URL is shown inline and fails Save & test with the reason', async ({
  createDataSourceConfigPage,
  page,
}) => {
  const configPage = await createDataSourceConfigPage(FALCO);
  await page.getByLabel('Loki').check({ force: true });
  await page.getByPlaceholder('http://loki:3100').fill('ftp://loki:3100');
  await expect(page.getByText('Use http:// or https://')).toBeVisible();
  await expect(configPage.saveAndTest()).not.toBeOK();
  await expect(page.getByText(/must start with http:\/\/ or https:\/\//)).toBeVisible();
});
