// a. From the Overview at its default range to the Critical detection's event and its pod, in at most three clicks.
import { appPath, expect, expectAccessible, settled, test } from './fixtures';
import { CRITICAL_POD, RULES } from './scenario';

test('the Overview at its default range is accessible', async ({ page }) => {
  await page.goto(appPath('overview'));
  await settled(page);
  await expect(page.getByRole('heading', { name: 'Critical and above' })).toBeVisible();
  await expectAccessible(page, 'the Overview');
});

// Seams (browser-b): the Overview says "1 Critical detection … ago" when it lies outside the range shown, and
// every count (the Critical stat itself) links to its events with the panel's own filters. Un-fixme after merging.
test.fixme('the Critical detection, its event and its pod in three clicks', async ({ page }) => {
  await page.goto(appPath('overview'));
  await settled(page);
  let clicks = 0;
  await page.getByRole('link', { name: /1 Critical detection/ }).click();
  clicks++;
  await settled(page);
  await page.getByRole('row', { name: new RegExp(`^Event ${RULES.dropAndExecute.rule}`) }).click();
  clicks++;
  await page.getByRole('dialog').getByRole('link', { name: 'Pod drilldown' }).click();
  clicks++;
  await settled(page);
  await expect(page).toHaveURL(new RegExp(`/pod/${encodeURIComponent(CRITICAL_POD.name)}`));
  expect(clicks).toBeLessThanOrEqual(3);
});
