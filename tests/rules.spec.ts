import { test, expect } from './fixtures';
import { ruleEditorTestIds } from '../src/components/RuleEditor/testIds';

// Each line is typed as a user would; Monaco keeps the previous line's indentation after Enter, so only the first
// key of the item carries its two spaces. Escape closes any completion list, so Enter never accepts a suggestion.
const BROKEN_RULE = [
  '- rule: Broken rule',
  '  desc: A rule with a misspelled field',
  'condition: spawned_process and proc.nmae = bash',
  'output: broken rule fired by %proc.cmdline',
  'priority: WARNING',
];

test('a broken rule typed in the Rules page editor is reported with its line and column', async ({
  gotoPage,
  page,
}) => {
  await gotoPage('/rules');
  await expect(page.getByText(/They stay local until you deploy them/)).toBeVisible();

  const editor = page.getByTestId(ruleEditorTestIds.editor).locator('.monaco-editor').first();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  for (const [i, line] of BROKEN_RULE.entries()) {
    await page.keyboard.type(line);
    await page.keyboard.press('Escape');
    if (i < BROKEN_RULE.length - 1) {
      await page.keyboard.press('Enter');
    }
  }

  // The condition is line 3; proc.nmae starts after "  condition: spawned_process and ".
  const problems = page.getByTestId(ruleEditorTestIds.problems);
  await expect(problems.getByText('custom_rules.yaml:3:34')).toBeVisible();
  await expect(problems.getByText(/nonexistent field proc\.nmae/)).toBeVisible();
});
