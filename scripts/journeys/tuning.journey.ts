// d. Tuning a noisy rule: from one of its events, Add exception, the preview of what it would silence, Open in Rules
// editor, plan and deploy on the real kube-apiserver; the deploy as a "Rules deploys" annotation on the rule's
// drilldown with the rule's rate around it; "Remove exception" prepares the working copy without it, planned and
// deployed again. An Editor drafts, previews and plans, and is told why deploying is not theirs.
import { Page } from '@playwright/test';
import { appPath, expect, expectAccessible, settled, test } from './fixtures';

const RULE = 'Terminal shell in container';
// A CI runner's shells, noisy and legitimate, and one shell elsewhere, stored in the last hour of the real clock through
// the datasource's real ingest endpoint (the scenario's own events lie in its day, outside the preview's 24 h and 7 d).
const CI_IMAGE = 'ghcr.io/acme/ci-runner';
async function ingestNoise(): Promise<void> {
  const now = Date.now();
  const run = now.toString(36);
  const event = (i: number, image: string, pod: string) => {
    const ms = now - (i + 1) * 20_000;
    return {
      uuid: `journey-${run}-${i}`,
      time: new Date(ms).toISOString(),
      rule: RULE,
      priority: 'Notice',
      source: 'syscall',
      hostname: 'node-a',
      tags: ['container', 'shell', 'mitre_execution'],
      output: `A shell was spawned in a container with an attached terminal | process=sh image=${image} pod=${pod}`,
      output_fields: {
        'evt.time': ms * 1e6,
        'proc.name': 'sh',
        'proc.pname': 'runc',
        'proc.cmdline': 'sh -c make test',
        'user.name': 'root',
        'container.image.repository': image,
        'k8s.ns.name': 'ci',
        'k8s.pod.name': pod,
      },
    };
  };
  const events = [
    ...Array.from({ length: 40 }, (_, i) => event(i, CI_IMAGE, `runner-${i % 4}`)),
    ...Array.from({ length: 3 }, (_, i) => event(40 + i, 'docker.io/library/nginx', 'web-1')),
  ];
  const res = await fetch(`${process.env.JOURNEYS_BACKEND}/api/datasources/uid/falco/resources/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Containersec-Ingest-Token': process.env.JOURNEYS_INGEST_TOKEN! },
    body: JSON.stringify(events),
  });
  expect(res.status, await res.text()).toBe(200);
}

// The rule's drilldown over the last hour of the real clock (deploys happen now; the scenario's events lie in its day).
function drilldownUrl(): string {
  const now = Date.now();
  return appPath(`runtime/rule/${encodeURIComponent(RULE)}?from=${now - 3600_000}&to=${now + 600_000}`);
}

interface Annotation {
  revision: number;
  action: string;
  tags: string;
}

// Opens the drilldown and returns the annotations its "Rules deploys" layer received from the Falco datasource.
async function openDrilldown(page: Page): Promise<Annotation[]> {
  const answered = page.waitForResponse(
    (r) => r.url().includes('/api/ds/query') && (r.request().postData() ?? '').includes('deployAnnotations')
  );
  await page.goto(drilldownUrl());
  const res = await answered;
  expect(res.status()).toBe(200);
  const frame = (await res.json()).results.Anno.frames[0];
  const names: string[] = frame.schema.fields.map((f: { name: string }) => f.name);
  const col = (n: string) => frame.data.values[names.indexOf(n)] as unknown[];
  // Not settled(): over the real clock Prometheus has no scenario metrics, so the panels show their exporter status.
  await expect(page.getByRole('region', { name: 'Exceptions on this rule' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  return col('revision').map((r, i) => ({
    revision: Number(r),
    action: String(col('action')[i]),
    tags: String(col('tags')[i]),
  }));
}

// Stores the noise, opens the newest of the rule's events on the Events page and its "Add exception": the builder.
async function addExceptionFromANoisyEvent(page: Page) {
  await ingestNoise();
  const now = Date.now();
  await page.goto(appPath(`events?from=${now - 3600_000}&to=${now + 60_000}&var-rule=${encodeURIComponent(RULE)}`));
  await page
    .getByRole('row', { name: /^Event / })
    .first()
    .click();
  await page.getByRole('dialog').getByRole('button', { name: 'Add exception' }).click();
  return page.getByRole('dialog', { name: `Add exception to ${RULE}` });
}

async function deploy(page: Page): Promise<number> {
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await expect(page.getByRole('region', { name: 'Kubernetes objects' })).toContainText('ConfigMap');
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Deploy', exact: true }).click();
  const answer = page.getByText(/Helm answered: falco\/falco is at revision \d+ \(deployed\)/);
  await expect(answer).toBeVisible({ timeout: 60_000 });
  return Number(/revision (\d+)/.exec(await answer.innerText())![1]);
}

test.describe('as Admin', () => {
  test("a noisy rule's event: add exception, preview, plan, deploy, see it on the rule, remove it and deploy again", async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const builder = await addExceptionFromANoisyEvent(page);
    // The builder: the stable identity checked, the values of the event, and what it would have silenced.
    await expect(builder.getByLabel('container.image.repository value, row 1')).toHaveValue(CI_IMAGE);
    await expect(builder.getByLabel('proc.name value, row 1')).toHaveValue('sh');
    const name = await builder.getByLabel('Exception name').inputValue();
    const silenced = builder.getByRole('region', { name: 'What it would have silenced' });
    await expect(silenced).toContainText(/Last 24 h: \d+ of \d+ stored events silenced, 3 left/);
    await expect(silenced.getByRole('region', { name: 'Events it would keep' })).toContainText('nginx');
    await expectAccessible(page, 'the exception builder');
    await builder.getByRole('button', { name: 'Open in Rules editor' }).click();

    await expect(page).toHaveURL(/\/rules\?file=/);
    await settled(page);
    await expect(page.getByText(/^0 errors/)).toBeVisible();
    const added = await deploy(page);

    // The proof: the deploy is an annotation of the rule's panels, and the rate is measured around it.
    let annotations = await openDrilldown(page);
    const mine = annotations.find((a) => a.revision === added);
    expect(mine, `revision ${added} among ${JSON.stringify(annotations)}`).toBeDefined();
    expect(mine!.action).toBe('deploy');
    expect(mine!.tags).toContain('user:admin');
    expect(mine!.tags).toContain(`rule:${RULE}`);
    await expect(page.getByLabel('Rules deploys')).toBeChecked();
    const rate = page.getByRole('region', { name: 'Rate before and after the last deploy' });
    // Seconds after the deploy there is no "after" yet: said, not guessed.
    await expect(rate).toContainText(`the deploy of revision ${added} by admin`);
    await expect(rate).toContainText('too recent to compare');
    await expectAccessible(page, 'the rule drilldown');

    // The way back: the exception is listed and removed from the working copy, then planned and deployed.
    const exceptions = page.getByRole('region', { name: 'Exceptions on this rule' });
    await expect(exceptions).toContainText(name);
    await exceptions.getByRole('button', { name: `Remove exception ${name}` }).click();
    await expect(page).toHaveURL(/\/rules$/);
    await settled(page);
    await expect(page.getByText(/^0 errors/)).toBeVisible();
    const removed = await deploy(page);
    expect(removed).toBe(added + 1);

    annotations = await openDrilldown(page);
    expect(annotations.map((a) => a.revision)).toEqual(expect.arrayContaining([added, removed]));
    await expect(page.getByRole('region', { name: 'Rate before and after the last deploy' })).toContainText(
      `the deploy of revision ${removed} by admin`
    );
    await expect(page.getByRole('region', { name: 'Exceptions on this rule' })).not.toContainText(name);
  });
});

test.describe('as Editor', () => {
  test.use({ role: 'Editor' });
  test('the draft, its preview and the removal work; deploying says why not', async ({ page }) => {
    test.setTimeout(180_000);
    const builder = await addExceptionFromANoisyEvent(page);
    const name = await builder.getByLabel('Exception name').inputValue();
    await expect(builder.getByRole('region', { name: 'What it would have silenced' })).toContainText(
      /Last 24 h: \d+ of \d+ stored events silenced/
    );
    await builder.getByRole('button', { name: 'Open in Rules editor' }).click();
    await expect(page).toHaveURL(/\/rules\?file=/);
    await settled(page);
    await expect(page.getByText(/^0 errors/)).toBeVisible();
    await page.getByRole('button', { name: 'Preview deployment' }).click();
    await expect(page.getByText('needs the Grafana Admin role; you are Editor')).toBeVisible();
    await expect(page.getByText('Only an organization Admin can deploy rules')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Deploy', exact: true })).toHaveCount(0);

    // Reading the deploy history and the rate needs no role, as GET deploy/history; the removal is a working-copy edit.
    await openDrilldown(page);
    await expect(page.getByLabel('Rules deploys')).toBeChecked();
    await expect(page.getByRole('region', { name: 'Rate before and after the last deploy' })).toBeVisible();
    const exceptions = page.getByRole('region', { name: 'Exceptions on this rule' });
    await exceptions.getByRole('button', { name: `Remove exception ${name}` }).click();
    await expect(page).toHaveURL(/\/rules$/);
    await settled(page);
    await expect(page.locator('.monaco-editor').first()).not.toContainText(name);
    await page.getByRole('button', { name: 'Preview deployment' }).click();
    await expect(page.getByText('needs the Grafana Admin role; you are Editor')).toBeVisible();
  });
});
