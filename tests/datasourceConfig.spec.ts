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

test('the config editor refuses a token falcosidekick would drop and shows the values to paste', async ({
  createDataSourceConfigPage,
  page,
}) => {
  const configPage = await createDataSourceConfigPage(FALCO);
  await page.getByPlaceholder('A long random string').fill('bad:token,with-separators');
  await expect(page.getByText(/falcosidekick drops a header value containing/)).toBeVisible();
  await page.getByRole('button', { name: /Generate a token/ }).click();
  await expect(page.getByText(/falcosidekick drops a header value containing/)).not.toBeVisible();
  await expect(page.getByTestId('falcosidekick-address')).toContainText(
    `/api/datasources/uid/${configPage.datasource.uid}/resources/events`
  );
  await expect(page.getByTestId('falcosidekick-headers')).toContainText(
    /Authorization:Bearer <service account token>,X-Containersec-Ingest-Token:[A-Za-z0-9_-]{43}$/
  );
  await expect(page.getByTestId('falcosidekick-helm')).toContainText('customHeaders:');
});
