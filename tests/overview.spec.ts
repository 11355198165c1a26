import { test, expect } from './fixtures';

test('the Overview page shows which datasources the app uses', async ({ gotoPage, page }) => {
  await gotoPage('/overview');
  await expect(page.getByText(/Metrics from/)).toBeVisible();
  await expect(page.getByText(/Falco datasource is working/)).toBeVisible();
});
