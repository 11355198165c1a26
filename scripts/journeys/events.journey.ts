// b. The Events page: every filter, URL state across a reload, the drawer, hostile strings kept as text, load more,
// and the backend down.
import { Page } from '@playwright/test';
import { appPath, backendPlugin, expect, expectAccessible, settled, test } from './fixtures';
import { AT_SHELL, ATTACKS, HOSTILE_RULE, RULES, WHOLE_DAY } from './scenario';

const rows = (page: Page) => page.getByRole('row', { name: /^Event / });

// The Events page with its list loaded.
async function openEvents(page: Page, query: string) {
  await page.goto(appPath(`events?${query}`));
  await expect(rows(page).first().or(page.getByText('No Falco events match'))).toBeVisible({ timeout: 60_000 });
  await settled(page);
}

// The listed events' cells of one column, by header name.
async function column(page: Page, header: string): Promise<string[]> {
  const headers = await page.getByTestId('data-testid falco-events-table').getByRole('columnheader').allInnerTexts();
  const i = headers.findIndex((h) => h.trim() === header);
  expect(i, `column ${header} in ${headers.join(', ')}`).toBeGreaterThanOrEqual(0);
  return rows(page).evaluateAll(
    (trs, index) => trs.map((tr) => (tr.children[index] as HTMLElement).innerText.trim()),
    i
  );
}

const distinct = async (page: Page, header: string) => [...new Set(await column(page, header))].sort();

const escapeRegExp = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Picks one value in a filter of the filter bar (Grafana's variable pickers), as a user does: type, choose, leave.
async function pick(page: Page, label: string, value: string) {
  const box = page.getByLabel(label, { exact: true });
  await box.click();
  await box.fill(value);
  // Multi-value pickers name their options; single-value ones (Grafana's Select) call each "Select option".
  const exact = new RegExp(`^\\s*${escapeRegExp(value)}\\s*$`);
  await page
    .getByRole('option', { name: value, exact: true })
    .or(page.getByRole('option').filter({ hasText: exact }))
    .first()
    .click();
  // A multi-value picker applies its choice when it loses focus.
  await page.keyboard.press('Escape');
  await box.blur();
  await settled(page);
}

test('every filter narrows the list to matching events, and the URL keeps it across a reload', async ({ page }) => {
  test.setTimeout(180_000);
  await openEvents(page, AT_SHELL);
  expect(await rows(page).count()).toBeGreaterThan(9);

  await pick(page, 'Minimum priority', 'warning');
  // The shell (Notice) is gone; the shadow read (Warning) stays.
  await expect.poll(() => distinct(page, 'Priority')).not.toContain('Notice');
  for (const p of await distinct(page, 'Priority')) {
    expect(['Emergency', 'Alert', 'Critical', 'Error', 'Warning']).toContain(p);
  }
  await pick(page, 'Rule', RULES.readSensitiveFile.rule);
  await expect.poll(() => distinct(page, 'Rule')).toEqual([RULES.readSensitiveFile.rule]);
  const shadowReads = await column(page, 'Time');

  // The URL holds every filter: a reload (or a shared link) shows the same list.
  expect(page.url()).toContain('var-minPriority=warning');
  await page.reload();
  await expect(rows(page).first()).toBeVisible();
  await expect.poll(() => column(page, 'Time')).toEqual(shadowReads);
  await expect.poll(() => distinct(page, 'Rule')).toEqual([RULES.readSensitiveFile.rule]);
});

test('namespace, pod, node, source, tag and text filters', async ({ page }) => {
  test.setTimeout(300_000); // six page loads
  const pod = ATTACKS.shellInNginx.pod;
  const cases: Array<[string, string, string, string[]]> = [
    ['Namespace', pod.namespace, 'Namespace/Pod', [`${pod.namespace}/${pod.name}`]],
    ['Pod', pod.name, 'Namespace/Pod', [`${pod.namespace}/${pod.name}`]],
    ['Hostname', pod.node.name, 'Hostname', [pod.node.name]],
    ['Source', 'syscall', 'Source', []],
    ['Tag', 'T1555', 'Rule', [RULES.readSensitiveFile.rule]],
  ];
  for (const [label, value, header, expected] of cases) {
    await openEvents(page, AT_SHELL);
    const before = await rows(page).count();
    await pick(page, label, value);
    if (expected.length) {
      await expect.poll(() => distinct(page, header), `${label} = ${value}`).toEqual(expected);
    } else {
      // Every scenario event is a syscall event: the filter keeps them all.
      await expect.poll(() => rows(page).count(), `${label} = ${value}`).toBe(before);
    }
  }
  // Free text: the events whose output holds it.
  await openEvents(page, AT_SHELL);
  await page.getByLabel('Text', { exact: true }).fill('/etc/shadow');
  await page.keyboard.press('Enter');
  await expect.poll(() => distinct(page, 'Rule')).toEqual([RULES.readSensitiveFile.rule]);
});

test('the drawer shows one event, links its pod, and a shared link opens it again', async ({ page }) => {
  const pod = ATTACKS.shellInNginx.pod;
  await openEvents(page, `${AT_SHELL}&var-rule=${encodeURIComponent(RULES.terminalShell.rule)}`);
  await rows(page).first().click();
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByRole('heading', { name: RULES.terminalShell.rule })).toBeVisible();
  await expect(drawer.getByText(pod.name).first()).toBeVisible();
  await expectAccessible(page, 'the event drawer');
  const shared = page.url();
  expect(shared).toContain('event=');
  // A colleague opens the shared link.
  await page.goto(shared);
  await expect(page.getByRole('dialog').getByRole('heading', { name: RULES.terminalShell.rule })).toBeVisible();
  await page.getByRole('dialog').getByRole('link', { name: 'Pod drilldown' }).click();
  await expect(page).toHaveURL(new RegExp(`/pod/${encodeURIComponent(pod.name)}`));
});

test('hostile rule, namespace and pod names stay text', async ({ page }) => {
  await openEvents(page, `${WHOLE_DAY}&var-rule=${encodeURIComponent(HOSTILE_RULE.rule)}`);
  // The regex characters matched literally, not as a pattern (the decoy rule differs only where they are).
  await expect.poll(() => distinct(page, 'Rule')).toEqual([HOSTILE_RULE.rule]);
  await rows(page).first().click();
  await expect(page.getByRole('dialog').getByRole('heading', { name: HOSTILE_RULE.rule })).toBeVisible();
  // The pod name's newline and quotes are shown, not interpreted.
  await expect(page.getByRole('dialog')).toContainText('evil"pod');
});

test('load more fetches the next page after the first hundred', async ({ page }) => {
  await openEvents(page, WHOLE_DAY);
  await expect(rows(page)).toHaveCount(100);
  const firstPage = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('aria-label')));
  await page.getByRole('button', { name: /^Load \d+ more$/ }).click();
  const total = Number(process.env.JOURNEYS_EVENTS);
  await expect(rows(page)).toHaveCount(Math.min(200, total));
  // The first hundred stay in place; the next ones come after them.
  const both = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('aria-label')));
  expect(both.slice(0, 100)).toEqual(firstPage);
});

// Seam (browser-b, "error states that say what happened and what to do, with retry"): the list says the backend is
// down in words and offers Retry.
test('backend down: a clear state with retry, and retry recovers', async ({ page }) => {
  await backendPlugin('stop');
  try {
    await page.goto(appPath(`events?${AT_SHELL}`));
    await expect(page.getByRole('alert')).toContainText(/Falco datasource|backend/i);
    await expect(page.getByText('fetch failed')).toHaveCount(0);
    await backendPlugin('start');
    await page.getByRole('button', { name: /retry/i }).click();
    await expect(rows(page).first()).toBeVisible();
  } finally {
    await backendPlugin('start');
  }
});

test('backend down: the list says so instead of showing no events', async ({ page }) => {
  await backendPlugin('stop');
  try {
    await page.goto(appPath(`events?${AT_SHELL}`));
    await expect(page.getByRole('alert').filter({ hasText: /Falco datasource|backend/i })).toBeVisible();
    await expect(page.getByText('No Falco events match')).toHaveCount(0);
  } finally {
    await backendPlugin('start');
  }
  await page.reload();
  await expect(rows(page).first()).toBeVisible();
});
