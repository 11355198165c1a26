import { test, expect } from './fixtures';

// Drilldowns are plain URLs under the page they were opened from, so a shared link opens the same view.

test('a pod drilldown opens under its namespace, and the breadcrumb leads back to Overview with the time range', async ({
  gotoPage,
  page,
}) => {
  await gotoPage('/overview/namespace/falco/pod/falco-e2e?from=now-3h&to=now&var-falcoSource=falcosidekick');
  await expect(page.getByRole('heading', { name: 'Pod falco-e2e' })).toBeVisible();
  await expect(page.getByText('CPU use of limit')).toBeVisible();
  const breadcrumbs = page.getByRole('navigation', { name: 'Breadcrumbs' });

  await breadcrumbs.getByRole('link', { name: 'Namespace falco' }).click();
  await expect(page).toHaveURL(/\/overview\/namespace\/falco\?(.*&)?from=now-3h/);
  await expect(page.getByRole('heading', { name: 'Namespace falco' })).toBeVisible();
  await expect(page.getByText('Pods by CPU')).toBeVisible();

  await breadcrumbs.getByRole('link', { name: 'Overview' }).click();
  await expect(page).toHaveURL(/\/overview\?(.*&)?from=now-3h/);
  await expect(page).toHaveURL(/var-falcoSource=falcosidekick/);
  await expect(page.getByText(/Metrics from/)).toBeVisible();
});

test('a rule drilldown shows where one rule fired', async ({ gotoPage, page }) => {
  await gotoPage('/runtime/rule/Terminal%20shell%20in%20container?from=now-1h&to=now');
  await expect(page.getByRole('heading', { name: 'Rule: Terminal shell in container' })).toBeVisible();
  await expect(page.getByText('Matches by priority')).toBeVisible();
  await expect(page.getByText('Pods it fired in (falcosidekick)')).toBeVisible();
});

test('the Runtime page keeps its filters in the URL', async ({ gotoPage, page }) => {
  await gotoPage('/runtime?var-minPriority=critical');
  await expect(page.getByText('Events by rule')).toBeVisible();
  await expect(page).toHaveURL(/var-minPriority=critical/);
  await expect(page).toHaveURL(/from=now-6h/);
});
