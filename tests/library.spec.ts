import { test, expect } from './fixtures';
import { testIds } from '../src/pages/Library/testIds';

test('the query library finds an entry by search and shows its PromQL, with the selection in the URL', async ({
  gotoPage,
  page,
}) => {
  await gotoPage('/library');
  await page.getByTestId(testIds.search).fill('critical');
  const entry = page.getByTestId(testIds.entry('falco.events.critical_and_above'));
  await expect(entry).toBeVisible();
  await entry.click();

  await expect(page).toHaveURL(/search=critical/);
  await expect(page).toHaveURL(/entry=falco\.events\.critical_and_above/);
  await expect(page.getByTestId(testIds.query)).toContainText('falcosecurity_falco_rules_matches_total');
  await expect(page.getByRole('link', { name: /Open in Explore/ })).toHaveAttribute('href', /\/explore\?/);
});

test('a namespace typed into the form is escaped in the shown PromQL', async ({ gotoPage, page }) => {
  await gotoPage('/library?entry=falco.events.by_namespace&falcoSource=falcosidekick');
  await page.getByLabel('Namespace').fill('pay"ments.*');
  await page.getByLabel('Namespace').press('Enter');
  await expect(page.getByTestId(testIds.query)).toContainText('k8s_ns_name="pay\\"ments.*"');
});
