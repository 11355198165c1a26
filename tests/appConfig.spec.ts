import { test, expect } from './fixtures';
import pluginJson from '../src/plugin.json';
import { testIds } from '../src/components/AppConfig/testIds';

test('the app config page saves the datasources the app uses and shows them after a reload', async ({
  appConfigPage,
  page,
}) => {
  // docker compose provisions Prometheus (uid prometheus) and Falco (uid falco); the pickers start on them.
  await expect(page.getByTestId(testIds.prometheus)).toContainText('Prometheus');
  await expect(page.getByTestId(testIds.falco)).toContainText('Falco');

  // Choose the datasources through the pickers, as a user would.
  await page.getByTestId(testIds.prometheus).getByRole('combobox').click();
  await page
    .getByRole('option', { name: /Prometheus/ })
    .first()
    .click();
  await page.getByTestId(testIds.falco).getByRole('combobox').click();
  await page.getByRole('option', { name: /Falco/ }).first().click();

  const saved = appConfigPage.waitForSettingsResponse();
  await page.getByTestId(testIds.save).click();
  await expect(saved).toBeOK();

  const settings = await page.request.get(`/api/plugins/${pluginJson.id}/settings`);
  const body = await settings.json();
  expect(body.jsonData).toMatchObject({ prometheusDatasourceUid: 'prometheus', falcoDatasourceUid: 'falco' });

  await page.reload();
  await expect(page.getByTestId(testIds.prometheus)).toContainText('Prometheus');
  await expect(page.getByTestId(testIds.falco)).toContainText('Falco');
});
