import { test, expect } from './fixtures';
import { testIds } from '../src/scenes/events/testIds';

// Events reach the Falco datasource the way falcosidekick sends them: one JSON event per POST to its resource, with
// the ingest token docker compose provisions from $FALCO_INGEST_TOKEN (provisioning/datasources/datasources.yaml).
const TOKEN = process.env.FALCO_INGEST_TOKEN;
const INGEST = '/api/datasources/uid/falco/resources/events';

function falcosidekickEvent(marker: string, overrides: Record<string, unknown> = {}) {
  return {
    uuid: `${marker}-uuid`,
    time: new Date().toISOString(),
    rule: 'Terminal shell in container',
    priority: 'Notice',
    source: 'syscall',
    hostname: 'e2e-node',
    output: `A shell was spawned in a container with an attached terminal (marker=${marker})`,
    tags: ['container', 'shell', 'mitre_execution', 'T1059'],
    output_fields: {
      'k8s.ns.name': 'e2e-web',
      'k8s.pod.name': 'nginx-e2e',
      'proc.cmdline': 'bash -i',
      'user.name': 'root',
    },
    ...overrides,
  };
}

test.beforeEach(() => {
  test.skip(!TOKEN, 'FALCO_INGEST_TOKEN is not set: the provisioned Falco datasource has no token to post events with');
});

test('an event posted like falcosidekick shows in the Events table and opens its details', async ({
  gotoPage,
  page,
}) => {
  const marker = `e2e-${Date.now()}`;
  const posted = await page.request.post(INGEST, {
    headers: { 'X-Containersec-Ingest-Token': TOKEN! },
    data: falcosidekickEvent(marker),
  });
  expect(posted.status()).toBe(200);

  await gotoPage(`/events?from=now-15m&to=now&var-text=${marker}`);
  const row = page.getByTestId(testIds.row).first();
  await expect(row).toContainText('Terminal shell in container');
  await expect(row).toContainText('e2e-web/nginx-e2e');
  await expect(page).toHaveURL(/var-text=e2e-/);

  await row.click();
  const drawer = page.getByTestId(testIds.drawer);
  await expect(drawer.getByTestId(testIds.fields)).toContainText('bash -i');
  await expect(drawer.getByText('mitre_execution')).toBeVisible();
  await expect(drawer.getByRole('link', { name: 'T1059' })).toHaveAttribute(
    'href',
    /attack\.mitre\.org\/techniques\/T1059\//
  );
  await expect(page).toHaveURL(/[?&]event=/);

  await drawer.getByRole('link', { name: 'Pod drilldown' }).click();
  await expect(page).toHaveURL(/\/events\/namespace\/e2e-web\/pod\/nginx-e2e\?/);
  await expect(page.getByRole('heading', { name: 'Pod nginx-e2e' })).toBeVisible();
  await expect(page.getByText('Falco events of pod e2e-web/nginx-e2e')).toBeVisible();
});

test('a hostile event is shown as text and does not break the page', async ({ gotoPage, page }) => {
  const marker = `e2e-hostile-${Date.now()}`;
  let injected = false;
  page.on('dialog', async (d) => {
    injected = true;
    await d.dismiss();
  });
  const posted = await page.request.post(INGEST, {
    headers: { 'X-Containersec-Ingest-Token': TOKEN! },
    data: falcosidekickEvent(marker, {
      rule: '<img src=x onerror=alert(1)>',
      output: `${marker} <script>alert(2)</script> \u001b[31m ${'A'.repeat(20000)} \u202eevil 😀`,
    }),
  });
  expect(posted.status()).toBe(200);

  await gotoPage(`/events?from=now-15m&to=now&var-text=${marker}`);
  const row = page.getByTestId(testIds.row).first();
  await expect(row).toContainText('<img src=x onerror=alert(1)>');
  await expect(row).toContainText('\\u001b[31m');
  // The table stays inside the viewport: the long output is cut, not widening the page.
  const table = await page.getByTestId(testIds.table).boundingBox();
  const viewport = page.viewportSize();
  expect(table!.width).toBeLessThanOrEqual(viewport!.width);

  await row.click();
  await expect(page.getByTestId(testIds.output)).toContainText('<script>alert(2)</script>');
  await expect(page.getByTestId(testIds.output)).toContainText('\\u202eevil');
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(injected).toBe(false);
});

test('the filter bar keeps its choices in the URL', async ({ gotoPage, page }) => {
  await gotoPage('/events?var-minPriority=critical&var-namespace=e2e-web');
  await expect(page.getByText('Events by priority')).toBeVisible();
  await expect(page).toHaveURL(/var-minPriority=critical/);
  await expect(page).toHaveURL(/var-namespace=e2e-web/);
});
