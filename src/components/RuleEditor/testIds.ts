// Shared by the jest tests and the Playwright specs, so both find the same elements.
export const ruleEditorTestIds = {
  editor: 'data-testid rule-editor',
  problems: 'data-testid rule-editor-problems',
  loadLab: 'data-testid rule-editor-load-lab',
  status: 'data-testid rule-editor-status',
};
