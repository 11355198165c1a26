// c. The Rules page on the real backend and a real kube-apiserver with the Falco release: a typo shown at its place,
// fixed, previewed, deployed as Admin, rolled out, in the history, compared and rolled back; what Viewers and Editors
// are told; and a refusal of the cluster in plain words.
import { Page } from '@playwright/test';
import { appPath, deployerRBAC, expect, expectAccessible, settled, test } from './fixtures';

// Each run deploys a change of its own, so a rerun on a running dev stack still has something to deploy.
const CHANGE = `CHG-${Date.now().toString(36)}`;
// A rule a user adds, and the same rule with a typo in a field name on line 3.
const RULE = (field: string) => `- rule: Package manager run in a container
  desc: apt, apk or yum started inside a running container (asked for in change ${CHANGE})
  condition: spawned_process and container and ${field} in (apt, apt-get, apk, yum, dnf)
  output: Package manager in a container (command=%proc.cmdline pod=%k8s.pod.name image=%container.image.repository)
  priority: WARNING
  tags: [container, software_mgmt, mitre_persistence]
`;
const TYPO = RULE('proc.nmae');
const FIXED = RULE('proc.name');

// Select all and paste, as a user brings a rule in (typing would let the editor auto-indent each line).
async function replaceWorkingCopy(page: Page, text: string) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.locator('.monaco-editor').first().click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('ControlOrMeta+v');
}

test.describe('as Admin', () => {
  test.describe.configure({ mode: 'serial' });

  test('typo at its place, fixed, previewed, deployed, rolled out, in the history, compared, rolled back', async ({
    page,
  }) => {
    test.setTimeout(300_000); // nine steps against the API server, each a Helm call
    await page.goto(appPath('rules'));
    await settled(page);
    await expect(page.getByText(/Connected through .*1 Falco release/)).toBeVisible();

    await replaceWorkingCopy(page, TYPO);
    const problems = page.getByRole('list', { name: 'Problems' });
    // Where the typo is: file, line 3 (the condition), the column of the unknown field.
    const column = TYPO.split('\n')[2].indexOf('proc.nmae') + 1;
    await expect(problems.getByRole('button').first()).toContainText(`:3:${column}`);
    await expect(problems).toContainText('proc.nmae');
    // The editor marks it too.
    await expect(page.locator('.monaco-editor .squiggly-error').first()).toBeVisible();

    await replaceWorkingCopy(page, FIXED);
    await expect(page.getByText(/^0 errors/)).toBeVisible();
    await expectAccessible(page, 'the Rules page');

    await page.getByRole('button', { name: 'Preview deployment' }).click();
    const objects = page.getByRole('region', { name: 'Kubernetes objects' });
    await expect(objects).toContainText('ConfigMap');
    await expect(objects).toContainText('DaemonSet');

    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Deploy', exact: true }).click();
    const answer = page.getByText(/Helm answered: falco\/falco is at revision \d+ \(deployed\)/);
    await expect(answer).toBeVisible({ timeout: 60_000 });
    const deployed = Number(/revision (\d+)/.exec(await answer.innerText())![1]);
    await expect(page.getByText('Rollout complete')).toBeVisible({ timeout: 60_000 });

    const history = page.getByRole('region', { name: 'History' });
    await expect(history.getByRole('checkbox', { name: `Compare revision ${deployed}` })).toBeVisible();
    await history.getByRole('checkbox', { name: `Compare revision ${deployed - 1}` }).check({ force: true }); // Grafana's Checkbox draws its own box over the input
    await history.getByRole('checkbox', { name: `Compare revision ${deployed}` }).check({ force: true });
    await history.getByRole('button', { name: `Compare revisions ${deployed - 1} and ${deployed}` }).click();
    await expect(page.getByText(`Custom rules from revision ${deployed - 1} to ${deployed}`)).toBeVisible();
    await expect(history).toContainText('Package manager run in a container');

    // Back to the revision before: previewed, confirmed, a new revision.
    await history.getByRole('button', { name: 'Roll back to this revision' }).first().click();
    // The preview's own button, once the preview is drawn (before it, the last "Roll back" button was the history's).
    await page.getByRole('button', { name: `Roll back to revision ${deployed - 1}` }).click();
    const confirm = page.getByRole('dialog');
    await expect(confirm).toBeVisible();
    await confirm.getByRole('button', { name: /^Roll back/ }).click();
    await expect(page.getByText(`Helm answered: falco/falco is at revision ${deployed + 1} (deployed)`)).toBeVisible({
      timeout: 60_000,
    });
  });

  test('a refusal of the cluster is told in plain words, and nothing changed', async ({ page }) => {
    await page.goto(appPath('rules'));
    await settled(page);
    await replaceWorkingCopy(page, FIXED);
    await expect(page.getByText(/^0 errors/)).toBeVisible();
    await deployerRBAC('revoke');
    try {
      await page.getByRole('button', { name: 'Preview deployment' }).click();
      const alert = page.getByRole('alert').filter({ hasText: /permission|forbidden|not allowed|cannot/i });
      await expect(alert).toBeVisible();
      // Plain words: what was refused, not a stack trace or a raw status line.
      await expect(alert).not.toContainText('fetch failed');
      await expect(alert).not.toContainText('{');
    } finally {
      await deployerRBAC('restore');
    }
  });
});

for (const role of ['Viewer', 'Editor'] as const) {
  test.describe(`as ${role}`, () => {
    test.use({ role });
    // A preview renders objects with the datasource's cluster credentials: Admin only unless the datasource lets
    // Editors preview (editorsCanPlan, off here). The backend refuses and the page says why; nothing is deployed.
    test('preview and deploy are refused with the reason', async ({ page }) => {
      await page.goto(appPath('rules'));
      await settled(page);
      await page.getByRole('button', { name: 'Preview deployment' }).click();
      await expect(page.getByText(`needs the Grafana Admin role; you are ${role}`)).toBeVisible();
      await expect(page.getByText('Only an organization Admin can deploy rules')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Deploy', exact: true })).toHaveCount(0);
    });
  });
}
