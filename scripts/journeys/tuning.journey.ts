// d. Tuning a noisy rule, the proof and the way back: an exception deployed on the real kube-apiserver shows as a
// "Rules deploys" annotation on the rule's drilldown with the rule's rate around it; "Remove exception" prepares the
// working copy without it, planned and deployed again. An Editor drafts and plans the removal and is told why not.
import { Page } from '@playwright/test';
import { appPath, expect, expectAccessible, settled, test } from './fixtures';

const RULE = 'Terminal shell in container';
// Each run deploys an exception of its own, so a rerun on a running dev stack still changes something.
const EXCEPTION = `ci_runner_shell_${Date.now().toString(36)}`;
const TUNING = `# CI runners open shells on purpose
- rule: ${RULE}
  exceptions:
    - name: ${EXCEPTION}
      fields: [container.image.repository, proc.name]
      comps: [=, in]
      values:
        - [ghcr.io/acme/ci-runner, [sh, "bash"]]
  override:
    exceptions: append
`;

async function replaceWorkingCopy(page: Page, text: string) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.locator('.monaco-editor').first().click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('ControlOrMeta+v');
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
  test('deploy an exception, see it on the rule, remove it and deploy again', async ({ page }) => {
    test.setTimeout(300_000);
    await page.goto(appPath('rules'));
    await settled(page);
    await replaceWorkingCopy(page, TUNING);
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
    await expect(exceptions).toContainText(EXCEPTION);
    await exceptions.getByRole('button', { name: `Remove exception ${EXCEPTION}` }).click();
    await expect(page).toHaveURL(/\/rules$/);
    await settled(page);
    await expect(page.getByText(/^0 errors/)).toBeVisible();
    await expect(page.locator('.monaco-editor').first()).not.toContainText(EXCEPTION);
    await expect(page.locator('.monaco-editor').first()).toContainText('CI runners open shells on purpose');
    const removed = await deploy(page);
    expect(removed).toBe(added + 1);

    annotations = await openDrilldown(page);
    expect(annotations.map((a) => a.revision)).toEqual(expect.arrayContaining([added, removed]));
    await expect(page.getByRole('region', { name: 'Rate before and after the last deploy' })).toContainText(
      `the deploy of revision ${removed} by admin`
    );
    await expect(page.getByRole('region', { name: 'Exceptions on this rule' })).not.toContainText(EXCEPTION);
  });
});

test.describe('as Editor', () => {
  test.use({ role: 'Editor' });
  test('the removal is drafted and planned in the working copy; deploying says why not', async ({ page }) => {
    await page.goto(appPath('rules'));
    await settled(page);
    await replaceWorkingCopy(page, TUNING);
    await expect(page.getByText(/^0 errors/)).toBeVisible();

    // Reading the deploy history and the rate needs no role, as GET deploy/history.
    await openDrilldown(page);
    await expect(page.getByLabel('Rules deploys')).toBeChecked();
    await expect(page.getByRole('region', { name: 'Rate before and after the last deploy' })).toBeVisible();
    const exceptions = page.getByRole('region', { name: 'Exceptions on this rule' });
    await exceptions.getByRole('button', { name: `Remove exception ${EXCEPTION}` }).click();
    await expect(page).toHaveURL(/\/rules$/);
    await settled(page);
    await expect(page.locator('.monaco-editor').first()).not.toContainText(EXCEPTION);
    await page.getByRole('button', { name: 'Preview deployment' }).click();
    await expect(page.getByText('needs the Grafana Admin role; you are Editor')).toBeVisible();
    await expect(page.getByText('Only an organization Admin can deploy rules')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Deploy', exact: true })).toHaveCount(0);
  });
});
