// Shared by the jest tests and the Playwright specs, so both find the same elements.
export const testIds = {
  prometheus: 'data-testid app-config-prometheus',
  falco: 'data-testid app-config-falco',
  save: 'data-testid app-config-save',
};
