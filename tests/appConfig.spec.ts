import { test, expect } from './fixtures';

test('the app config page saves the datasources the app uses', async ({ appConfigPage, page }) => {
  // docker compose provisions Prometheus (uid prometheus) and Falco (uid falco); the pickers start on them.
  await expect(page.getByTestId('data-testid app-config-prometheus')).toContainText('Prometheus');
  await expect(page.getByTestId('data-testid app-config-falco')).toContainText('Falco');

  const saved = appConfigPage.waitForSettingsResponse();
  await page.getByTestId('data-testid app-config-save').click();
  await expect(saved).toBeOK();

  const settings = await page.request.get('/api/plugins/containersec-security-app/settings');
  const body = await settings.json();
  expect(body.jsonData).toMatchObject({ prometheusDatasourceUid: 'prometheus', falcoDatasourceUid: 'falco' });
});
